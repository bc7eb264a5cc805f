import { describe, expect, it } from 'vitest'
import { checkSplit, DEFAULT_SPLIT, describeExample, describeLeak } from './split'

describe('checkSplit', () => {
  it('turns the paper’s 60/20/20 into the API’s split', () => {
    expect(checkSplit({ ...DEFAULT_SPLIT, groupBy: 'speaker', seed: '7' })).toEqual({
      problems: {},
      split: { method: 'percentages', train: 60, validation: 20, test: 20, stratify: true, group_by: 'speaker', seed: 7 },
    })
  })

  it('refuses percentages that do not add up to 100, saying the sum', () => {
    const result = checkSplit({ ...DEFAULT_SPLIT, train: '50' })
    expect(result.split).toBeNull()
    expect(result.problems).toEqual({ sum: 'The percentages add up to 90%, not 100%' })
  })

  it('accepts decimals that sum to 100 despite float rounding', () => {
    expect(checkSplit({ ...DEFAULT_SPLIT, train: '70.1', validation: '19.9', test: '10' }).split).not.toBeNull()
  })

  it('reports each bad field under its name', () => {
    const result = checkSplit({ ...DEFAULT_SPLIT, train: '0', validation: 'x', test: '120', seed: '-1' })
    expect(Object.keys(result.problems).sort()).toEqual(['seed', 'test', 'train', 'validation'])
    expect(result.problems.train).toBe('train must be more than 0%')
  })

  it('sends no group column when none is chosen', () => {
    expect(checkSplit(DEFAULT_SPLIT).split?.group_by).toBeNull()
  })
})

describe('describing leaks', () => {
  it('names the kind, count and column', () => {
    expect(describeLeak({ kind: 'group', count: 2, examples: [], column: 'speaker' })).toBe(
      '2 groups in more than one part (column speaker)',
    )
    expect(describeLeak({ kind: 'something_new', count: 1, examples: [] })).toBe('1 something_new')
  })

  it('writes an example on one line', () => {
    expect(describeExample({ value: 'actor_01', parts: ['train', 'test'] })).toBe('value: actor_01 · parts: train, test')
    expect(describeExample('a.png')).toBe('a.png')
  })
})
