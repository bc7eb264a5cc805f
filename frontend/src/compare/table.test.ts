import { describe, expect, it } from 'vitest'
import type { CompareRow } from '../api/types'
import { BASE_COLUMNS, differingKeys, filterRows, hyperparameterColumn, nextSort, sortRows, TAG_FILTER, valuesOf } from './table'

function row(id: number, valAccuracy: number | null, hp: CompareRow['hyperparameters'], tags: string[] = []): CompareRow {
  return {
    run_id: id, name: `run ${id}`, status: 'succeeded', model: 'cnn', model_version: 1, graph_version_id: 1,
    dataset_id: 1, dataset: 'emo', epochs_completed: 2, train_accuracy: 0.9, val_accuracy: valAccuracy,
    train_loss: 0.3, val_loss: 0.4, test_accuracy: null, balanced_accuracy: null, num_params: 100,
    seconds_per_epoch: 1, hyperparameters: hp, has_predictions: false, tags,
  }
}

const rows = [
  row(1, 0.5, { epochs: 10, 'optimizer.type': 'adam', 'optimizer.learning_rate': 0.001 }, ['baseline', 'paper']),
  row(2, null, { epochs: 10, 'optimizer.type': 'adadelta', 'optimizer.learning_rate': 1 }, ['paper']),
  row(3, 0.8, { epochs: 10, 'optimizer.type': 'adam', 'optimizer.learning_rate': 0.01 }),
]
const byKey = (key: string) => BASE_COLUMNS.find((c) => c.key === key)!

describe('compare table', () => {
  it('shows as columns only the hyperparameters that differ', () => {
    expect(differingKeys(rows)).toEqual(['optimizer.learning_rate', 'optimizer.type'])
    expect(valuesOf(rows, 'optimizer.type')).toEqual(['adadelta', 'adam'])
  })

  it('filters by tag alongside hyperparameters; every tag filter must hold', () => {
    const tag = (value: string) => ({ key: TAG_FILTER, value })
    expect(filterRows(rows, [tag('paper')]).map((r) => r.run_id)).toEqual([1, 2])
    expect(filterRows(rows, [tag('paper'), tag('baseline')]).map((r) => r.run_id)).toEqual([1])
    expect(filterRows(rows, [tag('paper'), { key: 'optimizer.type', value: 'adadelta' }]).map((r) => r.run_id)).toEqual([2])
    expect(filterRows(rows, [tag('pape')])).toEqual([]) // whole tags, not substrings
  })

  it('filters by any hyperparameter value, all filters at once', () => {
    expect(filterRows(rows, [{ key: 'optimizer.type', value: 'adam' }]).map((r) => r.run_id)).toEqual([1, 3])
    expect(filterRows(rows, [{ key: 'optimizer.type', value: 'adam' }, { key: 'optimizer.learning_rate', value: '0.01' }]).map((r) => r.run_id)).toEqual([3])
    expect(filterRows(rows, [{ key: 'epochs', value: '5' }])).toEqual([])
  })

  it('sorts numbers with missing values last in both directions', () => {
    const column = byKey('val_accuracy')
    expect(sortRows(rows, column, 'desc').map((r) => r.run_id)).toEqual([3, 1, 2])
    expect(sortRows(rows, column, 'asc').map((r) => r.run_id)).toEqual([1, 3, 2])
    expect(sortRows(rows, hyperparameterColumn('optimizer.learning_rate'), 'asc').map((r) => r.run_id)).toEqual([1, 3, 2])
  })

  it('sorts a new numeric column best-first and flips on a second click', () => {
    expect(nextSort(null, byKey('val_accuracy'))).toEqual({ key: 'val_accuracy', direction: 'desc' })
    expect(nextSort(null, byKey('model'))).toEqual({ key: 'model', direction: 'asc' })
    expect(nextSort({ key: 'model', direction: 'asc' }, byKey('model'))).toEqual({ key: 'model', direction: 'desc' })
  })
})
