import { useEffect, useMemo, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { MetricKey } from '../api/types'
import { buildSeries, type EpochPoint } from './runState'

export interface SeriesSpec {
  key: MetricKey
  label: string
  color: string
  dash?: number[]
}

interface MetricChartProps {
  testId: string
  title: string
  series: readonly SeriesSpec[]
  epochs: readonly EpochPoint[]
  /** Planned epochs, so the x axis spans the whole run while it fills in. */
  totalEpochs: number
  /** Fixed y range (accuracy is 0..1); auto when absent. */
  yRange?: [number, number]
  /** Drawn as a dashed vertical line. */
  bestEpoch?: number | null
  /** Y tick labels; uPlot's default rounds a learning rate of 1e-4 to "0". */
  yFormat?: (value: number) => string
}

const HEIGHT = 240

/** A dashed line at the best epoch; reads the ref so a new best needs only a redraw. */
function bestLine(bestRef: { current: number | null }) {
  return (u: uPlot) => {
    const epoch = bestRef.current
    if (epoch === null) return
    const x = Math.round(u.valToPos(epoch, 'x', true))
    const { top, height } = u.bbox
    const ctx = u.ctx
    ctx.save()
    ctx.strokeStyle = '#16a34a'
    ctx.lineWidth = 1.5 * devicePixelRatio
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio])
    ctx.beginPath()
    ctx.moveTo(x, top)
    ctx.lineTo(x, top + height)
    ctx.stroke()
    ctx.restore()
  }
}

function options(props: MetricChartProps, width: number, totalRef: { current: number }, bestRef: { current: number | null }): uPlot.Options {
  return {
    hooks: { draw: [bestLine(bestRef)] },
    width,
    height: HEIGHT,
    scales: {
      x: { time: false, range: (_u, _min, max) => [1, Math.max(totalRef.current, max, 2)] },
      y: props.yRange ? { range: props.yRange } : {},
    },
    axes: [
      { label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], values: (_u, ticks) => ticks.map(String) },
      props.yFormat ? { size: 56, values: (_u, ticks) => ticks.map((t) => props.yFormat!(t)) } : { size: 56 },
    ],
    series: [
      { label: 'epoch' },
      ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash, points: { size: 6 } })),
    ],
  }
}

export function MetricChart(props: MetricChartProps) {
  const { testId, title, series, epochs, totalEpochs } = props
  const target = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  // Read by uPlot's x range on every redraw; updated in the effect below.
  const totalRef = useRef(totalEpochs)
  const bestRef = useRef<number | null>(props.bestEpoch ?? null)
  const data = useMemo(() => buildSeries(epochs, series.map((s) => s.key)), [epochs, series])
  // Mount-time values for the create-once effect; later changes go through setData.
  const initial = useRef({ props, data })

  // Create once per mount; data and size changes go through setData/setSize.
  useEffect(() => {
    const element = target.current
    if (element === null) return
    const { props: first, data: firstData } = initial.current
    const chart = new uPlot(options(first, element.clientWidth || 600, totalRef, bestRef), firstData as uPlot.AlignedData, element)
    plot.current = chart
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }))
    observer.observe(element)
    return () => {
      observer.disconnect()
      chart.destroy()
      plot.current = null
    }
  }, [])

  const best = props.bestEpoch ?? null
  useEffect(() => {
    totalRef.current = totalEpochs
    bestRef.current = best
    plot.current?.setData(data as uPlot.AlignedData)
  }, [data, totalEpochs, best])

  return (
    <figure className="chart" data-testid={testId} data-points={epochs.length} data-best-epoch={best ?? undefined}>
      <figcaption>{title}</figcaption>
      <div ref={target} className="chart-canvas" />
      {epochs.length === 0 && <p className="chart-empty muted">Waiting for the first epoch…</p>}
      {best !== null && epochs.length > 0 && <p className="chart-note muted">dashed green line: best epoch {best}</p>}
    </figure>
  )
}
