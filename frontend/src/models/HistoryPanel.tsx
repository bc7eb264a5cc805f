import { useCallback, useMemo, useState } from 'react'
import { api } from '../api/client'
import type { GraphVersionPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { useLoad } from '../datasets/useLoad'
import { formatDateTime } from '../format'
import { DiffView } from './DiffView'
import { comparePair, keepKnownPicks, togglePick, versionRows, type VersionRow } from './history'

export interface HistoryActions {
  onOpen: (version: GraphVersionPublic) => void
  onRestore: (version: GraphVersionPublic) => void
  onFork: (version: GraphVersionPublic) => void
}

interface HistoryPanelProps extends HistoryActions {
  graphId: number
  currentVersionId: number | null
  busy: boolean
}

function VersionItem({ row, busy, onPick, actions }: { row: VersionRow; busy: boolean; onPick: () => void; actions: HistoryActions }) {
  const { version } = row
  return (
    <li className={row.current ? 'version-row current' : 'version-row'} data-testid={`version-${version.version}`}>
      <div className="version-head">
        <strong>{row.label}</strong>
        {row.current && <span className="badge badge-current">current</span>}
        {row.latest && <span className="badge badge-latest">latest</span>}
        <code className="muted" title={version.content_hash}>
          {row.hash}
        </code>
      </div>
      <div className="version-message">{version.message === '' ? <em className="muted">no message</em> : version.message}</div>
      <div className="muted version-time">{formatDateTime(version.created_at)}</div>
      <div className="version-actions">
        <button type="button" className="button secondary" disabled={busy || row.current} onClick={() => actions.onOpen(version)}>
          Open
        </button>
        <button type="button" className="button secondary" disabled={busy || row.latest} onClick={() => actions.onRestore(version)}>
          Restore
        </button>
        <button type="button" className={row.picked ? 'button' : 'button secondary'} aria-pressed={row.picked} onClick={onPick}>
          Compare
        </button>
        <button type="button" className="button secondary" disabled={busy} onClick={() => actions.onFork(version)}>
          Fork
        </button>
      </div>
    </li>
  )
}

/** Every version of the model, newest first, with open, restore, compare and fork. */
/** The page keys it by the newest version id, so a save or a restore loads the list afresh. */
export function HistoryPanel({ graphId, currentVersionId, busy, ...actions }: HistoryPanelProps) {
  const load = useCallback((signal: AbortSignal) => api.graphVersions(graphId, signal), [graphId])
  const { data, error } = useLoad(load)
  const [picked, setPicked] = useState<number[]>([])
  const versions = useMemo(() => data?.data ?? [], [data])
  const known = keepKnownPicks(picked, versions)
  const pair = comparePair(known, versions)
  const rows = versionRows(versions, currentVersionId, known)
  return (
    <aside className="history-panel" data-testid="history-panel" aria-label="Version history">
      <h2>History</h2>
      {error !== null && <ErrorBox error={error} title="Could not load the history" />}
      {data === null && error === null && <p className="muted">Loading versions…</p>}
      {data !== null && (
        <p className="muted history-hint">
          {known.length === 1 ? 'Pick a second version to compare.' : 'Compare: pick two versions.'}
        </p>
      )}
      {pair !== null && <DiffView graphId={graphId} pair={pair} onClose={() => setPicked([])} />}
      <ol className="version-list">
        {rows.map((row) => (
          <VersionItem
            key={row.version.id}
            row={row}
            busy={busy}
            actions={actions}
            onPick={() => setPicked(togglePick(known, row.version.id))}
          />
        ))}
      </ol>
    </aside>
  )
}
