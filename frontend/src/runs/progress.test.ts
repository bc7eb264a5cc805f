import { describe, expect, it } from 'vitest'
import type { RunEvent } from '../api/types'
import { attemptText, formatEta, overallProgress, progressText } from './progress'
import { applyRunEvent, initialRunStreamState } from './runState'

const at = '2025-01-01T00:00:00Z'
const base = { run_id: 1, at }

function reduce(...events: RunEvent[]) {
  return events.reduce(applyRunEvent, initialRunStreamState)
}

const epoch = (seq: number, n: number): RunEvent => ({ ...base, type: 'epoch', seq, epoch: n, epochs: 4, metrics: { loss: 1 } })
const batch = (seq: number, n: number, b: number, eta: number | null = null): RunEvent => ({
  ...base, type: 'progress', seq, epoch: n, batch: b, batches: 10, eta_seconds: eta,
})

describe('formatEta', () => {
  it('writes seconds, minutes and hours', () => {
    expect(formatEta(42.4)).toBe('42 s')
    expect(formatEta(80)).toBe('1 min 20 s')
    expect(formatEta(120)).toBe('2 min')
    expect(formatEta(3 * 3600 + 5 * 60 + 9)).toBe('3 h 5 min')
  })

  it('has nothing to say without an estimate', () => {
    expect(formatEta(null)).toBeNull()
    expect(formatEta(undefined)).toBeNull()
    expect(formatEta(Number.NaN)).toBeNull()
    expect(formatEta(-1)).toBeNull()
  })
})

describe('overallProgress', () => {
  it('is 0 before anything happens, with the planned total', () => {
    expect(overallProgress(initialRunStreamState, 5, 0)).toMatchObject({ fraction: 0, epoch: 0, total: 5, batch: null })
  })

  it('counts the share of the current epoch’s batches', () => {
    const progress = overallProgress(reduce(epoch(1, 1), batch(2, 2, 5, 90)), 4, 0)
    expect(progress).toMatchObject({ fraction: 1.5 / 4, epoch: 2, total: 4, batch: 5, batches: 10, etaSeconds: 90 })
    expect(progressText(progress)).toBe('epoch 2/4 · batch 5/10 · about 1 min 30 s left')
  })

  it('ignores a late batch event for an epoch already finished', () => {
    const progress = overallProgress(reduce(batch(1, 2, 9), epoch(2, 2)), 4, 0)
    expect(progress).toMatchObject({ fraction: 0.5, epoch: 2, batch: null })
    expect(progressText(progress)).toBe('epoch 2/4')
  })

  it('never goes backwards from the run record’s count', () => {
    expect(overallProgress(initialRunStreamState, 4, 3).fraction).toBe(0.75)
  })
})

describe('phase events', () => {
  it('keep the latest phase', () => {
    const state = reduce(
      { ...base, type: 'phase', seq: 1, phase: 'preparing: compiling the model' },
      { ...base, type: 'phase', seq: 2, phase: 'training' },
    )
    expect(state.phase).toBe('training')
  })
})

describe('attemptText', () => {
  it('says nothing for a first attempt and where a resume started', () => {
    expect(attemptText(0, null)).toBeNull()
    expect(attemptText(undefined, null)).toBeNull()
    expect(attemptText(1, 3)).toBe('resumed from epoch 3 (attempt 2)')
    expect(attemptText(2, null)).toBe('resumed (attempt 3)')
  })
})
