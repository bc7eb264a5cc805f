import { formatDateTime, formatMetric, formatNumber } from '../format'
import type { BestEpoch } from './bestEpoch'
import type { EpochPoint } from './runState'

interface EpochTableProps {
  epochs: readonly EpochPoint[]
  best: BestEpoch | null
}

export function EpochTable({ epochs, best }: EpochTableProps) {
  const hasRate = epochs.some((p) => typeof p.metrics.learning_rate === 'number')
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
            {hasRate && <th className="num">Learning rate</th>}
            <th>Finished</th>
          </tr>
        </thead>
        <tbody>
          {epochs.map(({ epoch, metrics, at }) => {
            const isBest = best?.epoch === epoch
            return (
              <tr key={epoch} className={isBest ? 'best-epoch' : undefined} data-best={isBest || undefined}>
                <td className="num">
                  {isBest && <span className="best-tag" title={`Best epoch: ${best.rule}`}>best</span>}
                  {epoch}
                </td>
                <td className="num">{formatMetric(metrics.loss)}</td>
                <td className="num">{formatMetric(metrics.accuracy)}</td>
                <td className="num">{formatMetric(metrics.val_loss)}</td>
                <td className="num">{formatMetric(metrics.val_accuracy)}</td>
                {hasRate && <td className="num">{metrics.learning_rate === undefined ? '—' : formatNumber(Number(metrics.learning_rate.toPrecision(4)))}</td>}
                <td className="nowrap">{formatDateTime(at)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {epochs.length === 0 && <p className="muted">No epochs finished yet.</p>}
      {best !== null && (
        <p className="muted" data-testid="best-epoch">
          Best epoch: {best.epoch} ({best.rule}, {formatMetric(best.value)}).
        </p>
      )}
    </>
  )
}
