// The relabel form as plain state and the mapping POST /api/datasets/{id}/relabel takes:
// only changed classes, dropped ones as null; two classes given one name merge.
import type { Problem } from '../api/types'

export interface ClassEdit {
  label: string
  /** The new name as typed; starts as the label itself. */
  name: string
  drop: boolean
}

export function initialEdits(classes: string[]): ClassEdit[] {
  return classes.map((label) => ({ label, name: label, drop: false }))
}

/** Old label -> new label or null, listing only what changes (the server hashes this). */
export function buildMapping(edits: ClassEdit[]): Record<string, string | null> {
  const mapping: Record<string, string | null> = {}
  for (const edit of edits) {
    if (edit.drop) mapping[edit.label] = null
    // An emptied name is sent as typed: the server names the class and says to use drop.
    else if (edit.name.trim() !== edit.label) mapping[edit.label] = edit.name.trim()
  }
  return mapping
}

export interface Merge {
  into: string
  from: string[]
}

/** New names that two or more kept classes end up sharing (renamed onto each other or onto an unchanged one). */
export function findMerges(edits: ClassEdit[]): Merge[] {
  const groups = new Map<string, string[]>()
  for (const edit of edits) {
    const name = edit.name.trim()
    if (edit.drop || name === '') continue
    groups.set(name, [...(groups.get(name) ?? []), edit.label])
  }
  return [...groups].filter(([, from]) => from.length > 1).map(([into, from]) => ({ into, from }))
}

/** The classes the new version will have, with their counts (for a preview before creating it). */
export function resultingCounts(edits: ClassEdit[], counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const edit of edits) {
    const name = edit.name.trim()
    if (edit.drop || name === '') continue
    out[name] = (out[name] ?? 0) + (counts[edit.label] ?? 0)
  }
  return out
}

/** Server problems at ["body", "mapping", <class>] keyed by class; the rest (whole mapping, name) under ''. */
export function problemsByClass(problems: Problem[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const problem of problems) {
    const [body, field, label] = problem.loc
    const key = body === 'body' && field === 'mapping' && label !== undefined ? String(label) : ''
    ;(out[key] ??= []).push(problem.message)
  }
  return out
}
