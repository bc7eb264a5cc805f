import { describe, expect, it } from 'vitest'
import { cellTitle, checkpointText, ciText, classRows, groupRows, isEvaluation, matrixCells, probabilityBars, shadeColor, splitText, type Confusion } from './evaluation'
import { predictionsUrl } from './evaluationApi'

const confusion: Confusion = {
  labels: ['anger', 'neutral'],
  counts: [
    [3, 1],
    [0, 0],
  ],
  normalized: [
    [0.75, 0.25],
    [0, 0],
  ],
}

describe('evaluation helpers', () => {
  it('writes a confidence interval as percentages', () => {
    expect(ciText({ value: 0.8, ci95: [0.6667, 1] })).toBe('95% CI 66.7–100.0%')
  })

  it('says which checkpoint and split were evaluated', () => {
    expect(checkpointText({ checkpoint: 'best', best_epoch: 3 })).toBe('best checkpoint: epoch 3 (lowest val_loss)')
    expect(checkpointText({ checkpoint: 'last', best_epoch: null })).toContain('last epoch')
    expect(splitText({ split: 'test', n: 12 })).toBe('test split, 12 images never trained on')
    expect(splitText({ split: 'validation', n: 5 })).toContain('no test split')
  })

  it('gives counts or row shares per cell, shaded by the row share either way', () => {
    const [first] = matrixCells(confusion, 'counts')
    expect(first?.map((c) => c.text)).toEqual(['3', '1'])
    expect(first?.[1]).toMatchObject({ trueClass: 'anger', predictedClass: 'neutral', count: 1, shade: 0.25 })
    const shares = matrixCells(confusion, 'normalized').map((row) => row.map((c) => c.text))
    expect(shares).toEqual([
      ['0.75', '0.25'],
      ['0.00', '0.00'],
    ]) // an empty row stays 0
  })

  it('colours the diagonal green and mistakes red, darker with the share', () => {
    expect(shadeColor(1, true)).toBe('rgba(22, 163, 74, 0.89)')
    expect(shadeColor(0, false)).toBe('rgba(220, 38, 38, 0.04)')
  })

  it('orders class rows as the model and groups worst first', () => {
    const perClass = { neutral: { precision: 1, recall: 0.5, f1: 0.67, support: 2 }, anger: { precision: 0.5, recall: 1, f1: 0.67, support: 1 } }
    expect(classRows(perClass, ['anger', 'neutral']).map((r) => r.name)).toEqual(['anger', 'neutral'])
    const groups = groupRows({
      speaker: { s1: { n: 2, accuracy: 1, balanced_accuracy: 1 }, s2: { n: 3, accuracy: 0.3, balanced_accuracy: 0.25 } },
      gender: { f: { n: 5, accuracy: 0.6, balanced_accuracy: 0.6 } },
    })
    expect(groups.map((g) => `${g.column}:${g.group}`)).toEqual(['gender:f', 'speaker:s2', 'speaker:s1'])
  })

  it('marks the predicted and true class among the probability bars', () => {
    const item = { item_id: 1, path: 'a.png', true: 'anger', predicted: 'neutral', probabilities: [0.3, 0.7], metadata: {}, image_url: null, thumbnail_url: null }
    expect(probabilityBars(item, ['anger', 'neutral'])).toEqual([
      { name: 'anger', probability: 0.3, predicted: false, true: true },
      { name: 'neutral', probability: 0.7, predicted: true, true: false },
    ])
  })

  it('describes a cell for its tooltip', () => {
    expect(cellTitle('anger', 'anger', 1)).toBe('1 anger image predicted correctly')
    expect(cellTitle('anger', 'stress', 2)).toBe('2 anger images predicted as stress')
  })

  it('recognises an evaluation body and builds the predictions query', () => {
    expect(isEvaluation({ id: 7, status: 'succeeded' })).toBe(false)
    expect(isEvaluation({ classes: ['a'], confusion, accuracy: { value: 1, ci95: [1, 1] } })).toBe(true)
    expect(predictionsUrl(4, { true: 'anger', predicted: 'a b', limit: 24 })).toBe('/api/runs/4/predictions?true=anger&predicted=a+b&limit=24')
    expect(predictionsUrl(4, {})).toBe('/api/runs/4/predictions')
  })
})
