import { describe, expect, it } from 'vitest'
import { bestEpoch } from './bestEpoch'
import type { EpochPoint } from './runState'

const point = (epoch: number, metrics: EpochPoint['metrics']): EpochPoint => ({ epoch, metrics, at: '' })

describe('bestEpoch', () => {
  it('picks the lowest validation loss', () => {
    const epochs = [point(1, { loss: 0.9, val_loss: 1.0 }), point(2, { loss: 0.5, val_loss: 0.7 }), point(3, { loss: 0.2, val_loss: 0.8 })]
    expect(bestEpoch(epochs)).toEqual({ epoch: 2, key: 'val_loss', value: 0.7, rule: 'lowest val_loss' })
  })

  it('keeps the earlier epoch on a tie', () => {
    expect(bestEpoch([point(1, { val_loss: 0.5 }), point(2, { val_loss: 0.5 })])?.epoch).toBe(1)
  })

  it('falls back to training loss when there is no validation set', () => {
    expect(bestEpoch([point(1, { loss: 0.4 }), point(2, { loss: 0.3 })])).toMatchObject({ epoch: 2, key: 'loss' })
  })

  it('skips NaN and has no best without epochs', () => {
    expect(bestEpoch([point(1, { val_loss: Number.NaN }), point(2, { val_loss: 2 })])?.epoch).toBe(2)
    expect(bestEpoch([])).toBeNull()
  })
})
