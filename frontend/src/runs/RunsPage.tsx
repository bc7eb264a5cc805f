import { useState } from 'react'
import { api } from '../api/client'
import { usePolling } from '../api/usePolling'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { comparePath, trainPath } from '../router'
import { EmptyRuns } from './EmptyRuns'
import { QueuePanel } from './QueuePanel'
import { RunsTable } from './RunsTable'
import './runs.css'

const RUNS_INTERVAL_MS = 2_000

export function RunsPage() {
  const { data, error } = usePolling(api.runs, RUNS_INTERVAL_MS)
  // Runs ticked for the compare page, in the order they were ticked.
  const [selected, setSelected] = useState<number[]>([])
  const onToggle = (id: number) => setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]))
  return (
    <section className="page">
      <div className="page-title">
        <h1>Runs</h1>
        {data !== null && <span className="muted">{data.count} total</span>}
        <span className="runs-actions">
          {selected.length > 0 ? (
            <Link to={comparePath(selected)} className="button secondary">
              Compare selected ({selected.length})
            </Link>
          ) : (
            <Link to={comparePath()} className="button secondary">
              Compare…
            </Link>
          )}{' '}
          <Link to={trainPath()} className="button">
            New run
          </Link>
        </span>
      </div>
      {error !== null && <ErrorBox error={error} title="Could not load runs" />}
      <QueuePanel />
      {data === null && error === null && <p className="muted">Loading runs…</p>}
      {data !== null && (data.data.length === 0 ? <EmptyRuns /> : <RunsTable runs={data.data} selection={{ selected: new Set(selected), onToggle }} />)}
    </section>
  )
}
