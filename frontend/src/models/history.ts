// The history panel's state, kept out of the component so it can be tested: which versions
// are picked for comparing, which one the editor holds, and how rows read.
import type { GraphVersionPublic } from '../api/types'

export const shortHash = (hash: string) => hash.slice(0, 8)

/** Picking for Compare: a third pick starts a new pair; picking a picked one unpicks it. */
export function togglePick(picked: readonly number[], versionId: number): number[] {
  if (picked.includes(versionId)) return picked.filter((id) => id !== versionId)
  return picked.length >= 2 ? [versionId] : [...picked, versionId]
}

export interface ComparePair {
  from: GraphVersionPublic
  to: GraphVersionPublic
}

/** The two picked versions, older first, so the diff reads as "what changed since"; null until two are picked. */
export function comparePair(picked: readonly number[], versions: readonly GraphVersionPublic[]): ComparePair | null {
  if (picked.length !== 2) return null
  const chosen = versions.filter((version) => picked.includes(version.id))
  const [older, newer] = [...chosen].sort((a, b) => a.version - b.version)
  return older === undefined || newer === undefined ? null : { from: older, to: newer }
}

/** Picks whose versions are gone (a stale list) are dropped rather than left half-picked. */
export function keepKnownPicks(picked: readonly number[], versions: readonly GraphVersionPublic[]): number[] {
  const known = new Set(versions.map((version) => version.id))
  return picked.filter((id) => known.has(id))
}

export interface VersionRow {
  version: GraphVersionPublic
  label: string
  hash: string
  current: boolean
  latest: boolean
  picked: boolean
}

/** Rows newest first (whatever order the list came in), marking the one being edited. */
export function versionRows(
  versions: readonly GraphVersionPublic[],
  currentId: number | null,
  picked: readonly number[],
): VersionRow[] {
  const sorted = [...versions].sort((a, b) => b.version - a.version)
  return sorted.map((version, index) => ({
    version,
    label: `v${version.version}`,
    hash: shortHash(version.content_hash),
    current: version.id === currentId,
    latest: index === 0,
    picked: picked.includes(version.id),
  }))
}

/** The question to ask before a history action would replace unsaved edits; null when nothing is at stake. */
export function discardQuestion(dirty: boolean, action: string): string | null {
  return dirty ? `You have unsaved changes on the canvas. ${action} and discard them?` : null
}
