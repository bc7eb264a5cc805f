import type { CompareRow, Estimate } from '../api/types'
import { Link } from '../components/Link'
import { StatusBadge } from '../components/StatusBadge'
import { formatMetric } from '../format'
import { runPath } from '../router'
import type { Column, Sort } from './table'

function withCi(estimate: Estimate | null): string {
  if (estimate === null) return '—'
  const ci = estimate.ci95 === null ? '' : ` [${estimate.ci95[0].toFixed(3)}, ${estimate.ci95[1].toFixed(3)}]`
  return `${estimate.value.toFixed(4)}${ci}`
}

/** The model, then the run's tags as chips; a click on one keeps only runs with that tag. */
function ModelCell({ row, onTag }: { row: CompareRow; onTag: (tag: string) => void }) {
  return (
    <>
      {row.model} v{row.model_version}
      {(row.tags ?? []).map((tag) => (
        <button key={tag} type="button" className="filter-chip tag-chip" style={{ marginLeft: '0.3rem', border: 'none' }} data-testid="row-tag" title={`Show only runs tagged ${tag}`} onClick={() => onTag(tag)}>
          {tag}
        </button>
      ))}
    </>
  )
}

function cell(column: Column, row: CompareRow, onTag: (tag: string) => void) {
  switch (column.key) {
    case 'model':
      return <ModelCell row={row} onTag={onTag} />
    case 'run_id':
      return <Link to={runPath(row.run_id)}>#{row.run_id}</Link>
    case 'status':
      return <StatusBadge status={row.status} />
    case 'test_accuracy':
      return withCi(row.test_accuracy)
    case 'balanced_accuracy':
      return withCi(row.balanced_accuracy)
    case 'seconds_per_epoch':
      return row.seconds_per_epoch === null ? '—' : row.seconds_per_epoch.toFixed(2)
    case 'num_params':
      return row.num_params === null ? '—' : row.num_params.toLocaleString()
  }
  const value = column.value(row)
  if (value === null) return '—'
  const metric = column.key.endsWith('loss') || column.key.endsWith('accuracy')
  return typeof value === 'number' && metric ? formatMetric(value) : String(value)
}

interface CompareTableProps {
  rows: readonly CompareRow[]
  columns: readonly Column[]
  sort: Sort | null
  onSort: (column: Column) => void
  onTag: (tag: string) => void
}

export function CompareTable({ rows, columns, sort, onSort, onTag }: CompareTableProps) {
  const arrow = (column: Column) => (sort?.key !== column.key ? '' : sort.direction === 'asc' ? ' ▲' : ' ▼')
  return (
    <div className="compare-scroll">
      <table className="data-table compact" data-testid="compare-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} className={column.numeric ? 'num' : undefined} aria-sort={sort?.key === column.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                <button type="button" className="sort-button" onClick={() => onSort(column)}>
                  {column.label}
                  {arrow(column)}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.run_id} data-run-id={row.run_id}>
              {columns.map((column) => (
                <td key={column.key} className={column.numeric ? 'num' : undefined}>
                  {cell(column, row, onTag)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
