import { useMemo, useState } from 'react'
import type { PaletteEntry } from '../api/types'
import { PALETTE_MIME, filterPalette, groupPalette } from './palette'

interface PaletteProps {
  entries: readonly PaletteEntry[]
  /** Adds an entry without dragging (double-click or Enter). */
  onAdd: (entry: PaletteEntry) => void
}

export function Palette({ entries, onAdd }: PaletteProps) {
  const [query, setQuery] = useState('')
  const groups = useMemo(() => groupPalette(filterPalette(entries, query)), [entries, query])
  return (
    <aside className="canvas-palette" data-testid="palette" aria-label="Layers">
      <input
        type="search"
        className="palette-search"
        placeholder="Search layers"
        aria-label="Search layers"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <p className="palette-hint muted">Drag onto the canvas, or double-click / Enter to add.</p>
      {groups.length === 0 && <p className="muted">No layer matches “{query}”.</p>}
      {groups.map((group) => (
        <section key={group.category} className="palette-group">
          <h3>{group.category}</h3>
          <ul>
            {group.entries.map((entry) => (
              <li
                key={entry.key}
                className="palette-item"
                data-testid={`palette-item-${entry.key}`}
                title={entry.description}
                tabIndex={0}
                role="button"
                draggable
                onDragStart={(event) => {
                  event.dataTransfer.setData(PALETTE_MIME, entry.key)
                  event.dataTransfer.effectAllowed = 'copy'
                }}
                onDoubleClick={() => onAdd(entry)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault()
                    onAdd(entry)
                  }
                }}
              >
                {entry.label}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </aside>
  )
}
