// How the canvas writes shapes and parameter counts.
import type { ParamCounts } from '../api/types'

/** [7, 7, 2048] -> "(None, 7, 7, 2048)"; None stands for the batch axis. */
export const formatShape = (shape: readonly number[]): string => `(${['None', ...shape.map(String)].join(', ')})`

/** 23_587_712 -> "23.6M", 12_345 -> "12.3K", 512 -> "512". */
export function compactCount(count: number): string {
  const units: [number, string][] = [[1e9, 'B'], [1e6, 'M'], [1e3, 'K']]
  for (const [size, suffix] of units) {
    if (count >= size) return `${(count / size).toFixed(1).replace(/\.0$/, '')}${suffix}`
  }
  return String(count)
}

export function formatParams(counts: ParamCounts): string {
  const total = counts.trainable + counts.non_trainable
  return `${compactCount(total)} params`
}

export function paramsTitle(counts: ParamCounts): string {
  const n = (value: number) => value.toLocaleString('en-US')
  return `${n(counts.trainable)} trainable, ${n(counts.non_trainable)} non-trainable`
}

/** The whole model: "24.6M params (24.5M trainable)". */
export function formatTotals(totals: ParamCounts): string {
  return `${formatParams(totals)} (${compactCount(totals.trainable)} trainable)`
}
