// The epoch a person would keep: lowest validation loss (what early stopping's
// default monitor and restore_best use), or lowest training loss when the run
// has no validation set.
import type { MetricKey } from '../api/types'
import type { EpochPoint } from './runState'

export interface BestEpoch {
  epoch: number
  key: MetricKey
  value: number
  /** In words, for the table and chart captions. */
  rule: string
}

export function bestEpoch(epochs: readonly EpochPoint[]): BestEpoch | null {
  const key: MetricKey = epochs.some((p) => typeof p.metrics.val_loss === 'number') ? 'val_loss' : 'loss'
  let best: BestEpoch | null = null
  for (const point of epochs) {
    const value = point.metrics[key]
    if (typeof value !== 'number' || Number.isNaN(value)) continue
    // Strictly lower: a tie keeps the earlier epoch, as Keras's EarlyStopping does.
    if (best === null || value < best.value) best = { epoch: point.epoch, key, value, rule: `lowest ${key}` }
  }
  return best
}
