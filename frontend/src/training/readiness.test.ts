import { describe, expect, it } from 'vitest'
import type { SplitPreview } from '../api/types'
import { trainBlockers, type TrainInputs } from './readiness'
import { checkSplit, DEFAULT_SPLIT } from './split'

const valid = { valid: true, problems: [], warnings: [], hyperparameters: null }
const ready: TrainInputs = {
  graphVersionId: 3,
  datasetId: 1,
  check: { status: 'done', value: valid },
  split: checkSplit(DEFAULT_SPLIT),
  preview: { status: 'unavailable' },
  override: { checked: false, reason: '' },
}

function leaky(): SplitPreview {
  const part = { count: 1, by_class: {}, by_group: {} }
  return {
    parts: { train: part, validation: part, test: part },
    audit: { clean: false, leaks: [{ kind: 'group', count: 1, examples: [] }] },
    warnings: [],
  }
}

describe('trainBlockers', () => {
  it('is empty when everything is chosen and valid', () => {
    expect(trainBlockers(ready)).toEqual([])
  })

  it('asks for a model and a dataset first', () => {
    expect(trainBlockers({ ...ready, graphVersionId: null, datasetId: null })).toEqual([
      'Choose a model version.',
      'Choose a dataset.',
    ])
  })

  it('gives the split sum as the reason', () => {
    const split = checkSplit({ ...DEFAULT_SPLIT, test: '10' })
    expect(trainBlockers({ ...ready, split })).toEqual(['Split: The percentages add up to 90%, not 100%.'])
  })

  it('waits for the check and counts its problems', () => {
    expect(trainBlockers({ ...ready, check: { status: 'loading' } })).toEqual(['Checking the hyperparameters…'])
    const problems = [{ loc: ['epochs'], message: 'x' }, { loc: ['seed'], message: 'y' }]
    const check = { status: 'done' as const, value: { ...valid, valid: false, problems } }
    expect(trainBlockers({ ...ready, check })).toEqual(['Fix the 2 problems in the hyperparameters.'])
  })

  it('needs the override and a reason when the split leaks', () => {
    const preview = { status: 'done' as const, value: leaky() }
    expect(trainBlockers({ ...ready, preview })[0]).toContain('Start anyway')
    expect(trainBlockers({ ...ready, preview, override: { checked: true, reason: ' ' } })).toEqual([
      'Give a reason for starting despite the leaks.',
    ])
    expect(trainBlockers({ ...ready, preview, override: { checked: true, reason: 'same speaker by design' } })).toEqual([])
  })
})
