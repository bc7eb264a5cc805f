// Pure rules of the compare table: columns, sorting, hyperparameter filters. No React here,
// so every rule is tested in table.test.ts.
import type { CompareRow, HyperValue } from '../api/types'

export type SortDirection = 'asc' | 'desc'
export interface Sort {
  key: string
  direction: SortDirection
}
/** Keep rows whose hyperparameter `key` reads `value` (as shown in the table), or, with
 * key `tag` (TAG_FILTER), rows that carry the tag `value`. */
export interface Filter {
  key: string
  value: string
}

export interface Column {
  key: string
  label: string
  numeric: boolean
  value: (row: CompareRow) => string | number | null
}

export const HP_PREFIX = 'hp:'
/** The filter key for tags; hyperparameter keys are snake_case dotted paths, never this. */
export const TAG_FILTER = 'tag'

export const sameFilter = (a: Filter, b: Filter) => a.key === b.key && a.value === b.value

export const BASE_COLUMNS: readonly Column[] = [
  { key: 'run_id', label: 'Run', numeric: true, value: (r) => r.run_id },
  { key: 'model', label: 'Model', numeric: false, value: (r) => `${r.model} v${r.model_version}` },
  { key: 'dataset', label: 'Dataset', numeric: false, value: (r) => r.dataset },
  { key: 'status', label: 'Status', numeric: false, value: (r) => r.status },
  { key: 'train_accuracy', label: 'Train acc.', numeric: true, value: (r) => r.train_accuracy },
  { key: 'val_accuracy', label: 'Val. acc.', numeric: true, value: (r) => r.val_accuracy },
  { key: 'test_accuracy', label: 'Test acc.', numeric: true, value: (r) => r.test_accuracy?.value ?? null },
  { key: 'balanced_accuracy', label: 'Balanced acc.', numeric: true, value: (r) => r.balanced_accuracy?.value ?? null },
  { key: 'train_loss', label: 'Train loss', numeric: true, value: (r) => r.train_loss },
  { key: 'val_loss', label: 'Val. loss', numeric: true, value: (r) => r.val_loss },
  { key: 'num_params', label: 'Params', numeric: true, value: (r) => r.num_params },
  { key: 'seconds_per_epoch', label: 's / epoch', numeric: true, value: (r) => r.seconds_per_epoch },
]

export function showValue(value: HyperValue | undefined): string {
  if (value === undefined || value === null) return '—'
  return String(value)
}

export function hyperparameterKeys(rows: readonly CompareRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.hyperparameters)))].sort()
}

/** Keys whose value is not the same in every row: the ones worth a column. */
export function differingKeys(rows: readonly CompareRow[]): string[] {
  return hyperparameterKeys(rows).filter((key) => new Set(rows.map((r) => showValue(r.hyperparameters[key]))).size > 1)
}

export function valuesOf(rows: readonly CompareRow[], key: string): string[] {
  return [...new Set(rows.map((r) => showValue(r.hyperparameters[key])))].sort()
}

export function hyperparameterColumn(key: string): Column {
  return { key: `${HP_PREFIX}${key}`, label: key, numeric: false, value: (r) => {
    const value = r.hyperparameters[key]
    return typeof value === 'number' ? value : value === undefined || value === null ? null : String(value)
  } }
}

export function filterRows(rows: readonly CompareRow[], filters: readonly Filter[]): CompareRow[] {
  return rows.filter((row) => filters.every((f) =>
    f.key === TAG_FILTER ? (row.tags ?? []).includes(f.value) : showValue(row.hyperparameters[f.key]) === f.value))
}

function compareValues(a: string | number | null, b: string | number | null): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b), undefined, { numeric: true })
}

/** A stable sort; rows without a value go last whichever the direction. */
export function sortRows(rows: readonly CompareRow[], column: Column, direction: SortDirection): CompareRow[] {
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((x, y) => {
    const a = column.value(x)
    const b = column.value(y)
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1
    return sign * compareValues(a, b)
  })
}

/** Clicking a header: a new column sorts descending for numbers (best accuracy first), else ascending; again flips. */
export function nextSort(current: Sort | null, column: Column): Sort {
  if (current?.key === column.key) return { key: column.key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  return { key: column.key, direction: column.numeric ? 'desc' : 'asc' }
}
