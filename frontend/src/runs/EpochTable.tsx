import { formatDateTime, formatMetric } from '../format'
import type { EpochPoint } from './runState'

export function EpochTable({ epochs }: { epochs: readonly EpochPoint[] }) {
  return (
    <>
      <table className="data-table compact" data-testid="epoch-table">
        <thead>
          <tr>
            <th className="num">Epoch</th>
            <th className="num">Loss</th>
            <th className="num">Accuracy</th>
            <th className="num">Val. loss</th>
            <th className="num">Val. accuracy</th>
            <th>Finished</th>
          </tr>
        </thead>
        <tbody>
          {epochs.map(({ epoch, metrics, at }) => (
            <tr key={epoch}>
              <td className="num">{epoch}</td>
              <td className="num">{formatMetric(metrics.loss)}</td>
              <td className="num">{formatMetric(metrics.accuracy)}</td>
              <td className="num">{formatMetric(metrics.val_loss)}</td>
              <td className="num">{formatMetric(metrics.val_accuracy)}</td>
              <td className="nowrap">{formatDateTime(at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {epochs.length === 0 && <p className="muted">No epochs finished yet.</p>}
    </>
  )
}
