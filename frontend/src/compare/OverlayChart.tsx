import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { RunCurves } from '../api/types'
import { overlayData, PALETTE } from './overlay'

const HEIGHT = 240

interface OverlayChartProps {
  testId: string
  title: string
  metric: string
  curves: readonly RunCurves[]
  labels: ReadonlyMap<number, string>
  yRange?: [number, number]
}

export function OverlayChart({ testId, title, metric, curves, labels, yRange }: OverlayChartProps) {
  const target = useRef<HTMLDivElement>(null)
  // Rebuilt when the set of runs changes (uPlot's series are fixed at creation); data alone goes through setData.
  const runKey = curves.map((c) => c.run_id).join(',')
  const yKey = yRange?.join(',') ?? ''
  const plot = useRef<uPlot | null>(null)
  const data = overlayData(curves, metric)
  const latest = useRef({ data, labels, curves })
  // Declared first, so it runs before the creation effect below on every commit.
  useEffect(() => {
    latest.current = { data, labels, curves }
  })

  useEffect(() => {
    const element = target.current
    if (element === null) return
    const { data: first, labels: names, curves: runs } = latest.current
    const range = yKey === '' ? null : (yKey.split(',').map(Number) as [number, number])
    const options: uPlot.Options = {
      width: element.clientWidth || 600,
      height: HEIGHT,
      scales: { x: { time: false }, y: range !== null ? { range } : {} },
      axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100], values: (_u, ticks) => ticks.map(String) }, { size: 56 }],
      series: [
        { label: 'epoch' },
        ...runs.map((c, i) => ({ label: names.get(c.run_id) ?? `run ${c.run_id}`, stroke: PALETTE[i % PALETTE.length], width: 2, points: { size: 5 }, spanGaps: true })),
      ],
    }
    const chart = new uPlot(options, first, element)
    plot.current = chart
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }))
    observer.observe(element)
    return () => {
      observer.disconnect()
      chart.destroy()
      plot.current = null
    }
  }, [runKey, yKey])

  useEffect(() => {
    plot.current?.setData(data)
  })

  return (
    <figure className="chart" data-testid={testId} data-series={curves.length}>
      <figcaption>{title}</figcaption>
      <div ref={target} className="chart-canvas" />
    </figure>
  )
}
