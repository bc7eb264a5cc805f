import { api } from '../api/client'
import type { DatasetPublic, GraphPublic } from '../api/types'
import { usePolling } from '../api/usePolling'
import { Link } from '../components/Link'
import { datasetPath } from '../router'

// Until the canvas lands, runs are started through the API; show exactly how,
// with the ids of what is already saved when there is something.
const SUMMARY_INTERVAL_MS = 10_000

function example(graphVersionId: number, datasetId: number): string {
  return `curl -X POST ${window.location.origin}/api/runs \\
  -H 'Content-Type: application/json' \\
  -d '{"graph_version_id": ${graphVersionId}, "dataset_id": ${datasetId},
       "hyperparameters": {"epochs": 10, "batch_size": 32,
         "optimizer": {"type": "adam", "learning_rate": 0.001}}}'`
}

function Saved({ graphs, datasets }: { graphs: GraphPublic[]; datasets: DatasetPublic[] }) {
  return (
    <div className="saved">
      <div>
        <h3>Graphs</h3>
        {graphs.length === 0 ? (
          <p className="muted">None yet: save one with <code>POST /api/graphs</code>.</p>
        ) : (
          <ul>
            {graphs.map((g) => (
              <li key={g.id}>
                {g.name} v{g.latest_version.version} — <code>graph_version_id {g.latest_version.id}</code>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3>Datasets</h3>
        {datasets.length === 0 ? (
          <p className="muted">
            None yet: upload a zip on the <Link to="/datasets">Datasets</Link> page.
          </p>
        ) : (
          <ul>
            {datasets.map((d) => (
              <li key={d.id}>
                <Link to={datasetPath(d.id)}>{d.name}</Link> ({d.num_items} items, {d.classes.length} classes) — <code>dataset_id {d.id}</code>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}

export function EmptyRuns() {
  const graphs = usePolling(api.graphs, SUMMARY_INTERVAL_MS).data?.data
  const datasets = usePolling(api.datasets, SUMMARY_INTERVAL_MS).data?.data
  const versionId = graphs?.[0]?.latest_version.id ?? 1
  const datasetId = datasets?.[0]?.id ?? 1
  return (
    <div className="empty" data-testid="runs-empty">
      <h2>No runs yet</h2>
      <p>
        A run trains one saved model version on one dataset. Start one on the <Link to="/train">training page</Link>, or
        through the API with <code>POST /api/runs</code>:
      </p>
      <pre>{example(versionId, datasetId)}</pre>
      {graphs !== undefined && datasets !== undefined && <Saved graphs={graphs} datasets={datasets} />}
      <p className="muted">
        The interactive API reference is at <a href="/docs">/docs</a>. A new run appears here within two seconds.
      </p>
    </div>
  )
}
