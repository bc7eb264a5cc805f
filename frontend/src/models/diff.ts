// What the Compare view lists, made from the API's GraphDiff: one line per change, words a
// person reads ("params.units 512 → 256") rather than JSON.
import type { GraphDiff } from '../api/types'

export interface ChangeLine {
  field: string
  before: string
  after: string
}

export interface DiffSummary {
  empty: boolean
  added: string[]
  removed: string[]
  changed: { id: string; lines: ChangeLine[] }[]
  edgesAdded: string[]
  edgesRemoved: string[]
}

/** A parameter value as the canvas shows it; a field absent on one side reads "(none)". */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '(none)'
  if (typeof value === 'string') return value === '' ? '""' : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

export const formatEdge = ([source, target]: [string, string]) => `${source} → ${target}`

export function summarizeDiff(diff: GraphDiff): DiffSummary {
  const changed = diff.nodes_changed.map((node) => ({
    id: node.id,
    lines: node.changes.map((change) => ({
      field: change.field,
      before: formatValue(change.before),
      after: formatValue(change.after),
    })),
  }))
  const summary = {
    added: diff.nodes_added,
    removed: diff.nodes_removed,
    changed,
    edgesAdded: diff.edges_added.map(formatEdge),
    edgesRemoved: diff.edges_removed.map(formatEdge),
  }
  const counts = [summary.added, summary.removed, summary.changed, summary.edgesAdded, summary.edgesRemoved]
  return { ...summary, empty: counts.every((list) => list.length === 0) }
}
