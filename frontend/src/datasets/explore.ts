// Pure shaping of a dataset's numbers for the explore page: group tables,
// the class chart's bars, the image summary and problem locations.
import type { DatasetGroups, Problem } from '../api/types'

export interface GroupRow {
  value: string
  total: number
  /** One count per class, in the table's class order (0 where the group has none). */
  counts: number[]
}

export interface GroupTable {
  column: string
  classes: string[]
  rows: GroupRow[]
}

const byNatural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/**
 * One table per metadata column: a row per value (natural order, so speaker 2
 * comes before speaker 10) with its class mix. Classes follow the dataset's
 * order, plus any the groups mention that the dataset does not list.
 */
export function buildGroupTables(groups: DatasetGroups, datasetClasses: string[]): GroupTable[] {
  return Object.keys(groups.columns)
    .sort(byNatural.compare)
    .map((column) => {
      const values = groups.columns[column] ?? {}
      const seen = new Set(datasetClasses)
      const extra = Object.values(values)
        .flatMap((mix) => Object.keys(mix))
        .filter((label) => !seen.has(label) && (seen.add(label), true))
      const classes = [...datasetClasses, ...extra.sort(byNatural.compare)]
      const rows = Object.keys(values)
        .sort(byNatural.compare)
        .map((value) => {
          const mix = values[value] ?? {}
          const counts = classes.map((label) => mix[label] ?? 0)
          return { value, counts, total: counts.reduce((a, b) => a + b, 0) }
        })
      return { column, classes, rows }
    })
}

export interface Bar {
  label: string
  count: number
  /** Share of the largest class, 0..1, for the bar's length. */
  fraction: number
}

export function classBars(classes: string[], counts: Record<string, number>): Bar[] {
  const labels = classes.length > 0 ? classes : Object.keys(counts)
  const max = Math.max(1, ...labels.map((label) => counts[label] ?? 0))
  return labels.map((label) => {
    const count = counts[label] ?? 0
    return { label, count, fraction: count / max }
  })
}

/** `{"32x32": 10, "64x48": 2}` -> most common first. */
export function tally(counts: Record<string, number> | undefined): [string, number][] {
  return Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1] || byNatural.compare(a[0], b[0]))
}

/**
 * A problem's location in words: `["csv", "labels.csv", "row", 5, "path"]` ->
 * `labels.csv, row 5, column path`; anything else joined with ›.
 */
export function formatLoc(loc: Problem['loc']): string {
  const [kind, ...rest] = loc
  if (kind === 'csv' && rest.length > 0) {
    const [file, ...tail] = rest
    const parts = [String(file)]
    for (let i = 0; i < tail.length; i += 2) {
      const key = tail[i]
      const value = tail[i + 1]
      parts.push(value === undefined ? String(key) : `${String(key)} ${String(value)}`)
    }
    return parts.join(', ')
  }
  return loc.map(String).join(' › ')
}

/** Problems that a different path or label column might fix: offer those inputs. */
export function asksForColumns(problems: Problem[]): boolean {
  return problems.some((problem) => problem.loc[0] === 'csv' || problem.loc[0] === 'form')
}
