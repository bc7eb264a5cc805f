// Palette grouping and search, kept out of the component.
import type { PaletteEntry } from '../api/types'

export const PALETTE_MIME = 'application/x-dlstudio-palette'

export interface PaletteGroup {
  category: string
  entries: PaletteEntry[]
}

/** Entries whose label, description, type or category contain every word of `query`. */
export function filterPalette(entries: readonly PaletteEntry[], query: string): PaletteEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...entries]
  return entries.filter((entry) => {
    const text = `${entry.label} ${entry.description} ${entry.type} ${entry.category}`.toLowerCase()
    return words.every((word) => text.includes(word))
  })
}

/** Groups in order of first appearance (the API lists categories in a deliberate order). */
export function groupPalette(entries: readonly PaletteEntry[]): PaletteGroup[] {
  const groups = new Map<string, PaletteEntry[]>()
  for (const entry of entries) groups.set(entry.category, [...(groups.get(entry.category) ?? []), entry])
  return [...groups].map(([category, list]) => ({ category, entries: list }))
}
