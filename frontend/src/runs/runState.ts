// Pure state for the run page: SSE events in, what the page shows out.
// No React and no DOM here, so every rule is tested in runState.test.ts.
import type { LogEvent, MetricKey, Metrics, ProgressEvent, RunEvent, RunStatus } from '../api/types'

export interface EpochPoint {
  epoch: number
  metrics: Metrics
  at: string
}

/** The latest batch progress inside an epoch (from throttled `progress` events). */
export interface BatchProgress {
  epoch: number
  batch: number
  batches: number
  etaSeconds: number | null
}

export interface RunStreamState {
  /** Highest seq applied; anything at or below it is a replay and is dropped. */
  lastSeq: number
  status: RunStatus | null
  statusMessage: string | null
  totalEpochs: number | null
  /** One point per epoch, sorted by epoch. */
  epochs: EpochPoint[]
  logs: LogEvent[]
  /** What the worker is doing now ("compiling the model"); null until told. */
  phase: string | null
  progress: BatchProgress | null
  /** Set by a `resumed` event: the epoch whose checkpoint the latest attempt continued from. */
  resumedFrom: { epoch: number; attempt: number } | null
}

export const MAX_LOGS = 200

export const initialRunStreamState: RunStreamState = {
  lastSeq: 0,
  status: null,
  statusMessage: null,
  totalEpochs: null,
  epochs: [],
  logs: [],
  phase: null,
  progress: null,
  resumedFrom: null,
}

function withEpoch(epochs: EpochPoint[], point: EpochPoint): EpochPoint[] {
  const others = epochs.filter((p) => p.epoch !== point.epoch)
  others.push(point)
  return others.sort((a, b) => a.epoch - b.epoch)
}

export function applyRunEvent(state: RunStreamState, event: RunEvent): RunStreamState {
  // Progress carries the last logged seq: older than that is stale, and it never counts as seen.
  if (event.type === 'progress') return event.seq < state.lastSeq ? state : withProgress(state, event)
  if (event.seq <= state.lastSeq) return state
  const next = { ...state, lastSeq: event.seq }
  switch (event.type) {
    case 'epoch':
      return {
        ...next,
        totalEpochs: event.epochs,
        epochs: withEpoch(state.epochs, { epoch: event.epoch, metrics: event.metrics, at: event.at }),
      }
    case 'status':
      return { ...next, status: event.status, statusMessage: event.message }
    case 'log':
      return { ...next, logs: [...state.logs, event].slice(-MAX_LOGS) }
    case 'phase':
      return { ...next, phase: event.phase || event.message || null }
    case 'resumed':
      return {
        ...next,
        epochs: state.epochs.filter((p) => p.epoch <= event.from_epoch),
        progress: null,
        resumedFrom: { epoch: event.from_epoch, attempt: event.attempt },
      }
  }
}

function withProgress(state: RunStreamState, event: ProgressEvent): RunStreamState {
  const { epoch, batch, batches } = event
  const etaSeconds = typeof event.eta_seconds === 'number' ? event.eta_seconds : null
  return { ...state, totalEpochs: event.epochs ?? state.totalEpochs, progress: { epoch, batch, batches, etaSeconds } }
}

/** Columns for uPlot: epochs on x, then one array per metric key (null where it is missing). */
export type SeriesData = [number[], ...(number | null)[][]]

export function buildSeries(epochs: readonly EpochPoint[], keys: readonly MetricKey[]): SeriesData {
  const x = epochs.map((p) => p.epoch)
  const ys = keys.map((key) => epochs.map((p) => p.metrics[key] ?? null))
  return [x, ...ys]
}
