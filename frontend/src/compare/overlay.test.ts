import { describe, expect, it } from 'vitest'
import { overlayData } from './overlay'

describe('overlayData', () => {
  it('puts every run on one epoch axis, one series per run, with gaps where a run has no epoch', () => {
    const data = overlayData([
      { run_id: 1, epochs: [1, 2, 3], metrics: { val_loss: [0.9, 0.7, 0.5] } },
      { run_id: 2, epochs: [1, 2], metrics: { val_loss: [1.1, null] } },
      { run_id: 3, epochs: [], metrics: {} },
    ], 'val_loss')
    expect(data).toEqual([[1, 2, 3], [0.9, 0.7, 0.5], [1.1, null, null], [null, null, null]])
  })
})
