import { describe, expect, it } from 'vitest'
import type { EpochEvent, LogEvent, StatusEvent } from '../api/types'
import { applyRunEvent, buildSeries, initialRunStreamState, MAX_LOGS, type RunStreamState } from './runState'

const at = '2025-01-01T00:00:00Z'

function epoch(seq: number, n: number, loss = 1 / n, extra: Partial<EpochEvent['metrics']> = {}): EpochEvent {
  return { type: 'epoch', seq, run_id: 1, at, epoch: n, epochs: 3, metrics: { loss, accuracy: 0.5, ...extra } }
}

function status(seq: number, value: StatusEvent['status'], message: string | null = null): StatusEvent {
  return { type: 'status', seq, run_id: 1, at, status: value, message }
}

function log(seq: number): LogEvent {
  return { type: 'log', seq, run_id: 1, at, level: 'info', message: `line ${seq}` }
}

function reduce(...events: (EpochEvent | StatusEvent | LogEvent)[]): RunStreamState {
  return events.reduce(applyRunEvent, initialRunStreamState)
}

describe('applyRunEvent', () => {
  it('adds an epoch point and records the planned total', () => {
    const state = reduce(epoch(1, 1))
    expect(state.epochs).toEqual([{ epoch: 1, metrics: { loss: 1, accuracy: 0.5 }, at }])
    expect(state.totalEpochs).toBe(3)
    expect(state.lastSeq).toBe(1)
  })

  it('drops a replayed event (same or lower seq) and returns the same object', () => {
    const once = reduce(status(1, 'running'), epoch(2, 1))
    expect(applyRunEvent(once, epoch(2, 1))).toBe(once)
    expect(applyRunEvent(once, status(1, 'running'))).toBe(once)
  })

  it('keeps one point per epoch, sorted, when an epoch is reported again under a new seq', () => {
    const state = reduce(epoch(1, 2, 0.4), epoch(2, 1, 0.9), epoch(3, 2, 0.3))
    expect(state.epochs.map((p) => [p.epoch, p.metrics.loss])).toEqual([
      [1, 0.9],
      [2, 0.3],
    ])
  })

  it('tracks the latest status and its message', () => {
    const state = reduce(status(1, 'queued'), status(2, 'running'), status(3, 'failed', 'Out of memory'))
    expect(state.status).toBe('failed')
    expect(state.statusMessage).toBe('Out of memory')
  })

  it('keeps only the last MAX_LOGS log lines', () => {
    const events = Array.from({ length: MAX_LOGS + 5 }, (_, i) => log(i + 1))
    const state = reduce(...events)
    expect(state.logs).toHaveLength(MAX_LOGS)
    expect(state.logs[0]?.seq).toBe(6)
  })

  it('does not mutate the previous state', () => {
    const before = reduce(epoch(1, 1))
    const snapshot = structuredClone(before)
    applyRunEvent(before, epoch(2, 2))
    expect(before).toEqual(snapshot)
  })
})

describe('live-only events', () => {
  const progress = (seq: number, batch: number) =>
    ({ type: 'progress', seq, run_id: 1, at, epoch: 2, epochs: 3, batch, batches: 10 }) as const

  it('takes progress at the last logged seq without counting it as seen', () => {
    const state = applyRunEvent(reduce(epoch(1, 1)), progress(1, 4))
    expect(state.progress).toEqual({ epoch: 2, batch: 4, batches: 10, etaSeconds: null })
    expect(state.lastSeq).toBe(1)
    expect(applyRunEvent(state, progress(1, 6)).progress?.batch).toBe(6)
  })

  it('drops progress older than the last logged event', () => {
    const state = reduce(epoch(1, 1), epoch(2, 2))
    expect(applyRunEvent(state, progress(1, 9))).toBe(state)
  })

  it('a resume drops the epochs after its checkpoint', () => {
    const state = reduce(epoch(1, 1), epoch(2, 2), epoch(3, 3))
    const resumed = applyRunEvent(state, { type: 'resumed', seq: 4, run_id: 1, at, from_epoch: 1, attempt: 1 })
    expect(resumed.epochs.map((p) => p.epoch)).toEqual([1])
    expect(resumed.resumedFrom).toEqual({ epoch: 1, attempt: 1 })
  })
})

describe('buildSeries', () => {
  it('puts epochs on x and one column per key, null where a metric is missing', () => {
    const state = reduce(epoch(1, 1, 0.9, { val_loss: 1.1 }), epoch(2, 2, 0.5))
    expect(buildSeries(state.epochs, ['loss', 'val_loss'])).toEqual([
      [1, 2],
      [0.9, 0.5],
      [1.1, null],
    ])
  })

  it('gives empty columns for no epochs', () => {
    expect(buildSeries([], ['accuracy', 'val_accuracy'])).toEqual([[], [], []])
  })
})
