import { describe, expect, it } from 'vitest'
import { compactCount, formatParams, formatShape, formatTotals, paramsTitle } from './format'

describe('formatting', () => {
  it('writes shapes with the batch axis as None', () => {
    expect(formatShape([7, 7, 2048])).toBe('(None, 7, 7, 2048)')
    expect(formatShape([3])).toBe('(None, 3)')
  })

  it('writes compact parameter counts with the split in a title', () => {
    expect(compactCount(23_587_712)).toBe('23.6M')
    expect(compactCount(1_049_088)).toBe('1M')
    expect(compactCount(12_345)).toBe('12.3K')
    expect(compactCount(512)).toBe('512')
    expect(formatParams({ trainable: 23_534_592, non_trainable: 53_120 })).toBe('23.6M params')
    expect(paramsTitle({ trainable: 1539, non_trainable: 0 })).toBe('1,539 trainable, 0 non-trainable')
  })
})

describe('formatTotals', () => {
  it('gives the whole and the trainable part', () => {
    expect(formatTotals({ trainable: 24_534_592, non_trainable: 53_120 })).toBe('24.6M params (24.5M trainable)')
  })
})
