// The run page's progress bar: epochs done plus the share of the current epoch's
// batches, and the worker's ETA in words. Pure, tested in progress.test.ts.
import type { EpochPoint, RunStreamState } from './runState'

export interface OverallProgress {
  /** 0..1 of the whole run. */
  fraction: number
  /** The epoch under way (counts from 1), or the last finished one at the end. */
  epoch: number
  total: number
  batch: number | null
  batches: number | null
  etaSeconds: number | null
}

/** "about 1 min 20 s left"-style text; null when there is no estimate. */
export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (h > 0) return `${h} h ${m} min`
  const rest = s % 60
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`
}

function lastEpoch(epochs: readonly EpochPoint[]): number {
  return epochs.at(-1)?.epoch ?? 0
}

/**
 * Progress from the stream: a batch event inside an epoch not yet finished counts
 * its share; one for an epoch already finished (a late, throttled event) is ignored.
 */
export function overallProgress(state: RunStreamState, plannedEpochs: number, completed: number): OverallProgress {
  const total = Math.max(1, state.totalEpochs ?? plannedEpochs)
  const done = Math.min(total, Math.max(completed, lastEpoch(state.epochs)))
  const current = state.progress
  if (current !== null && current.epoch > done && current.batches > 0) {
    const share = Math.min(1, Math.max(0, current.batch / current.batches))
    return {
      fraction: Math.min(1, (current.epoch - 1 + share) / total),
      epoch: current.epoch,
      total,
      batch: current.batch,
      batches: current.batches,
      etaSeconds: current.etaSeconds,
    }
  }
  return { fraction: done / total, epoch: done, total, batch: null, batches: null, etaSeconds: null }
}

/** One line under the bar: "epoch 3/10 · batch 12/40 · about 1 min left". */
export function progressText(progress: OverallProgress): string {
  const parts = [`epoch ${progress.epoch}/${progress.total}`]
  if (progress.batch !== null && progress.batches !== null) parts.push(`batch ${progress.batch}/${progress.batches}`)
  const eta = formatEta(progress.etaSeconds)
  if (eta !== null) parts.push(`about ${eta} left`)
  return parts.join(' · ')
}

/** "resumed from epoch 4 (attempt 2)": a worker died and another continued from the checkpoint. */
export function attemptText(attempt: number | undefined, fromEpoch: number | null): string | null {
  if (attempt === undefined || attempt <= 0) return null
  const from = fromEpoch !== null ? `resumed from epoch ${fromEpoch}` : 'resumed'
  return `${from} (attempt ${attempt + 1})`
}
