import { api } from '../api/client'
import { usePolling } from '../api/usePolling'
import { Link } from '../components/Link'
import { runPath } from '../router'

const QUEUE_INTERVAL_MS = 3_000

/** Which runs are training now, on which worker, and which wait, in the order they will start. */
export function QueuePanel() {
  const { data } = usePolling(api.runQueue, QUEUE_INTERVAL_MS)
  if (data === null || (data.running.length === 0 && data.queued.length === 0)) return null
  return (
    <section className="panel queue-panel" data-testid="run-queue">
      <h2>Queue</h2>
      <ul>
        {data.running.map((run) => (
          <li key={run.id} data-testid="queue-running">
            training now: <Link to={runPath(run.id)}>{run.name}</Link>
            {run.device ? <span className="muted"> · {run.device}</span> : null}
            {run.worker ? <span className="muted"> · {run.worker}</span> : null}
          </li>
        ))}
        {data.queued.map(({ position, run }) => (
          <li key={run.id} data-testid="queue-waiting" data-position={position}>
            #{position} waiting: <Link to={runPath(run.id)}>{run.name}</Link>
          </li>
        ))}
      </ul>
      {data.queued_total > data.queued.length && (
        <p className="muted">{data.queued_total - data.queued.length} more waiting in other projects.</p>
      )}
    </section>
  )
}
