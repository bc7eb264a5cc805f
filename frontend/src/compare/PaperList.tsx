import { compareApi } from '../api/client'
import { usePolling } from '../api/usePolling'
import { Link } from '../components/Link'
import { formatDateTime } from '../format'
import { paperComparePath } from '../router'

/** Paper experiments started before, newest first, so one can be found again. */
export function PaperList() {
  const { data } = usePolling(compareApi.papers, 5_000)
  if (data === null || data.length === 0) return null
  return (
    <section className="paper-list">
      <h2>Paper experiments</h2>
      <table className="data-table compact" data-testid="paper-experiments">
        <thead>
          <tr>
            <th>Experiment</th>
            <th>Input</th>
            <th>Runs</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {data.map((e) => (
            <tr key={e.id}>
              <td>
                <Link to={paperComparePath(e.id)}>{e.name}</Link>
              </td>
              <td>
                {e.size} px, weights {e.weights}
              </td>
              <td>
                {e.statuses.filter((s) => s === 'succeeded').length} of {e.statuses.length} succeeded
              </td>
              <td className="nowrap">{formatDateTime(e.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
