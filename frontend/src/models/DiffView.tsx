import { useCallback } from 'react'
import { api } from '../api/client'
import { ErrorBox } from '../components/ErrorBox'
import { useLoad } from '../datasets/useLoad'
import { summarizeDiff } from './diff'
import type { ComparePair } from './history'

function NodeList({ title, ids, testId }: { title: string; ids: string[]; testId: string }) {
  if (ids.length === 0) return null
  return (
    <div data-testid={testId}>
      <h4>{title}</h4>
      <ul>
        {ids.map((id) => (
          <li key={id}>
            <code>{id}</code>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** What changed from the older picked version to the newer: nodes, their parameters, edges. */
export function DiffView({ graphId, pair, onClose }: { graphId: number; pair: ComparePair; onClose: () => void }) {
  const load = useCallback((signal: AbortSignal) => api.graphDiff(graphId, pair.from.id, pair.to.id, signal), [graphId, pair.from.id, pair.to.id])
  const { data, error } = useLoad(load)
  const summary = data === null ? null : summarizeDiff(data)
  return (
    <section className="diff-view" data-testid="diff-view">
      <div className="diff-title">
        <h3>
          v{pair.from.version} → v{pair.to.version}
        </h3>
        <button type="button" className="button secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {error !== null && <ErrorBox error={error} title="Could not compare the versions" />}
      {summary === null && error === null && <p className="muted">Comparing…</p>}
      {summary?.empty === true && <p className="muted">Same model: only node positions may differ.</p>}
      {summary !== null && (
        <>
          <NodeList title="Nodes added" ids={summary.added} testId="diff-added" />
          <NodeList title="Nodes removed" ids={summary.removed} testId="diff-removed" />
          {summary.changed.length > 0 && (
            <div data-testid="diff-changed">
              <h4>Nodes changed</h4>
              {summary.changed.map((node) => (
                <div key={node.id} className="diff-node" data-node-id={node.id}>
                  <code>{node.id}</code>
                  <ul>
                    {node.lines.map((line) => (
                      <li key={line.field} data-testid="diff-change" data-field={line.field}>
                        <code>{line.field}</code> <span className="diff-before">{line.before}</span> →{' '}
                        <span className="diff-after">{line.after}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )}
          <NodeList title="Edges added" ids={summary.edgesAdded} testId="diff-edges-added" />
          <NodeList title="Edges removed" ids={summary.edgesRemoved} testId="diff-edges-removed" />
        </>
      )}
    </section>
  )
}
