import { useMemo, useState } from 'react'
import type { ComparePublic } from '../api/types'
import { CompareTable } from './CompareTable'
import { McNemarPanel } from './McNemarPanel'
import { OverlayChart } from './OverlayChart'
import {
  BASE_COLUMNS, differingKeys, filterRows, hyperparameterColumn, hyperparameterKeys, nextSort, sameFilter, showValue, sortRows,
  TAG_FILTER, valuesOf, type Filter, type Sort,
} from './table'

type CurveSet = 'validation' | 'training'

function FilterBar({ keys, values, filters, onChange }: {
  keys: string[]
  values: (key: string) => string[]
  filters: Filter[]
  onChange: (filters: Filter[]) => void
}) {
  const [key, setKey] = useState(keys[0] ?? '')
  const options = key === '' ? [] : values(key)
  const [value, setValue] = useState('')
  const chosen = options.includes(value) ? value : (options[0] ?? '')
  return (
    <div className="compare-controls" data-testid="compare-filters">
      <label className="name-field">
        Hyperparameter
        <select value={key} onChange={(e) => setKey(e.target.value)} aria-label="Filter hyperparameter">
          {keys.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </label>
      <label className="name-field">
        Value
        <select value={chosen} onChange={(e) => setValue(e.target.value)} aria-label="Filter value">
          {options.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </label>
      <button type="button" className="button secondary" disabled={key === ''} onClick={() => onChange([...filters.filter((f) => f.key !== key), { key, value: chosen }])}>
        Add filter
      </button>
      {filters.map((f) => (
        // Several tag filters may stand together (a run must carry them all); one per hyperparameter.
        <span key={`${f.key}=${f.value}`} className="filter-chip" data-testid="filter-chip">
          {f.key} = {f.value}
          <button type="button" aria-label={f.key === TAG_FILTER ? `Remove filter tag ${f.value}` : `Remove filter ${f.key}`} onClick={() => onChange(filters.filter((g) => !sameFilter(g, f)))}>×</button>
        </span>
      ))}
    </div>
  )
}

/** The table (sortable, filterable by any hyperparameter or tag), the runs' overlaid curves and McNemar's test. */
export function CompareView({ data, labels }: { data: ComparePublic; labels?: ReadonlyMap<number, string> }) {
  const [filters, setFilters] = useState<Filter[]>([])
  const [sort, setSort] = useState<Sort | null>(null)
  const [curveSet, setCurveSet] = useState<CurveSet>('validation')
  const keys = useMemo(() => hyperparameterKeys(data.rows), [data.rows])
  const columns = useMemo(() => [...BASE_COLUMNS, ...differingKeys(data.rows).map(hyperparameterColumn)], [data.rows])
  const kept = filterRows(data.rows, filters)
  const sortColumn = columns.find((c) => c.key === sort?.key)
  const rows = sort !== null && sortColumn !== undefined ? sortRows(kept, sortColumn, sort.direction) : kept
  const shown = new Set(rows.map((r) => r.run_id))
  const curves = data.curves.filter((c) => shown.has(c.run_id))
  const names = labels ?? new Map(data.rows.map((r) => [r.run_id, `#${r.run_id} ${r.model}`]))
  const shared = keys.filter((k) => !columns.some((c) => c.key === `hp:${k}`))
  const prefix = curveSet === 'validation' ? 'val_' : ''
  const addTagFilter = (tag: string) => {
    const filter = { key: TAG_FILTER, value: tag }
    if (!filters.some((f) => sameFilter(f, filter))) setFilters([...filters, filter])
  }
  return (
    <>
      <FilterBar keys={keys} values={(key) => valuesOf(data.rows, key)} filters={filters} onChange={setFilters} />
      <CompareTable rows={rows} columns={columns} sort={sort} onSort={(column) => setSort(nextSort(sort, column))} onTag={addTagFilter} />
      {shared.length > 0 && rows.length > 0 && (
        <details className="compare-shared">
          <summary className="muted">Hyperparameters shared by every run ({shared.length})</summary>
          <p className="muted">{shared.map((k) => `${k}: ${showValue(data.rows[0]?.hyperparameters[k])}`).join(' · ')}</p>
        </details>
      )}
      <div className="compare-controls">
        <span className="muted">Curves:</span>
        {(['validation', 'training'] as const).map((set) => (
          <label key={set}>
            <input type="radio" name="curve-set" checked={curveSet === set} onChange={() => setCurveSet(set)} /> {set}
          </label>
        ))}
      </div>
      <div className="compare-charts">
        <OverlayChart testId="compare-accuracy" title={`${curveSet === 'validation' ? 'Validation' : 'Training'} accuracy`} metric={`${prefix}accuracy`} curves={curves} labels={names} yRange={[0, 1]} />
        <OverlayChart testId="compare-loss" title={`${curveSet === 'validation' ? 'Validation' : 'Training'} loss`} metric={`${prefix}loss`} curves={curves} labels={names} />
      </div>
      <McNemarPanel key={rows.map((r) => r.run_id).join(',')} rows={rows} />
    </>
  )
}
