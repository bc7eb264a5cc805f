import type uPlot from 'uplot'
import type { RunCurves } from '../api/types'

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777']

/** Runs' values of one metric on a shared epoch axis; a run lacking an epoch leaves a gap. */
export function overlayData(curves: readonly RunCurves[], metric: string): uPlot.AlignedData {
  const epochs = [...new Set(curves.flatMap((c) => c.epochs))].sort((a, b) => a - b)
  const series = curves.map((c) => {
    const values = c.metrics[metric] ?? []
    const at = new Map(c.epochs.map((epoch, i) => [epoch, values[i] ?? null]))
    return epochs.map((epoch) => at.get(epoch) ?? null)
  })
  return [epochs, ...series] as uPlot.AlignedData
}
