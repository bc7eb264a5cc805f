// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest'
import { comparePath, guardLeaving, isPlainClick, matchRoute, modelPath, navigate, newModelPath, paperComparePath, trainPath } from './router'

describe('matchRoute', () => {
  it('maps the compare page with run ids or a paper experiment', () => {
    expect(matchRoute('/compare')).toEqual({ name: 'compare', ids: [], experiment: null })
    expect(matchRoute('/compare', '?ids=3,4,x,4,0')).toEqual({ name: 'compare', ids: [3, 4], experiment: null })
    expect(matchRoute('/compare', '?experiment=9')).toEqual({ name: 'compare', ids: [], experiment: 9 })
    expect(comparePath([3, 4])).toBe('/compare?ids=3,4')
    expect(comparePath()).toBe('/compare')
    expect(paperComparePath(9)).toBe('/compare?experiment=9')
  })

  it('maps the runs list', () => {
    expect(matchRoute('/')).toEqual({ name: 'runs' })
    expect(matchRoute('/runs')).toEqual({ name: 'runs' })
    expect(matchRoute('/runs/')).toEqual({ name: 'runs' })
  })

  it('maps a run page by numeric id', () => {
    expect(matchRoute('/runs/42')).toEqual({ name: 'run', id: 42 })
    expect(matchRoute('/runs/42/')).toEqual({ name: 'run', id: 42 })
  })

  it('maps the datasets list and a dataset page', () => {
    expect(matchRoute('/datasets')).toEqual({ name: 'datasets' })
    expect(matchRoute('/datasets/')).toEqual({ name: 'datasets' })
    expect(matchRoute('/datasets/5')).toEqual({ name: 'dataset', id: 5 })
    expect(matchRoute('/datasets/x')).toEqual({ name: 'notFound', path: '/datasets/x' })
  })

  it('maps the models list and a new model, from a template or empty', () => {
    expect(matchRoute('/models')).toEqual({ name: 'models' })
    expect(matchRoute('/models/')).toEqual({ name: 'models' })
    expect(matchRoute('/models/new')).toEqual({ name: 'newModel', template: null, classes: 3 })
    expect(matchRoute('/models/new', '?template=paper-resnet50')).toEqual({
      name: 'newModel',
      template: 'paper-resnet50',
      classes: 3,
    })
    expect(matchRoute('/models/new', '?template=small-cnn&classes=7')).toEqual({
      name: 'newModel',
      template: 'small-cnn',
      classes: 7,
    })
    // A nonsense class count falls back to the default rather than asking the API for 0 classes.
    expect(matchRoute('/models/new', '?template=small-cnn&classes=0')).toMatchObject({ classes: 3 })
  })

  it('maps a model page, at its latest version or a given one', () => {
    expect(matchRoute('/models/12')).toEqual({ name: 'model', id: 12, versionId: null })
    expect(matchRoute('/models/12', '?version=40')).toEqual({ name: 'model', id: 12, versionId: 40 })
    expect(matchRoute('/models/12', '?version=abc')).toEqual({ name: 'model', id: 12, versionId: null })
    expect(matchRoute('/models/x')).toEqual({ name: 'notFound', path: '/models/x' })
  })

  it('maps the training page, with a model version and dataset from the query', () => {
    expect(matchRoute('/train')).toEqual({ name: 'train', graphVersionId: null, datasetId: null })
    expect(matchRoute('/train/', '?graph_version=7&dataset=2')).toEqual({ name: 'train', graphVersionId: 7, datasetId: 2 })
    expect(matchRoute('/train', '?graph_version=x')).toEqual({ name: 'train', graphVersionId: null, datasetId: null })
  })

  it('reports anything else as not found', () => {
    expect(matchRoute('/runs/abc')).toEqual({ name: 'notFound', path: '/runs/abc' })
    expect(matchRoute('/nope')).toEqual({ name: 'notFound', path: '/nope' })
  })
})

describe('model paths', () => {
  it('round-trip through matchRoute', () => {
    const [path, search] = modelPath(5, 9).split('?')
    expect(matchRoute(path ?? '', `?${search}`)).toEqual({ name: 'model', id: 5, versionId: 9 })
    expect(modelPath(5)).toBe('/models/5')
    expect(newModelPath()).toBe('/models/new')
    expect(newModelPath('paper-inceptionv3')).toBe('/models/new?template=paper-inceptionv3')
    expect(newModelPath('small-cnn', 4)).toBe('/models/new?template=small-cnn&classes=4')
  })

  it('builds training links that match back', () => {
    expect(trainPath()).toBe('/train')
    expect(trainPath(7)).toBe('/train?graph_version=7')
    const [path, search] = trainPath(7, 2).split('?')
    expect(matchRoute(path ?? '', `?${search}`)).toEqual({ name: 'train', graphVersionId: 7, datasetId: 2 })
  })
})

describe('isPlainClick', () => {
  const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false }
  it('accepts only an unmodified left click', () => {
    expect(isPlainClick(click)).toBe(true)
    expect(isPlainClick({ ...click, ctrlKey: true })).toBe(false)
    expect(isPlainClick({ ...click, button: 1 })).toBe(false)
  })
})

describe('leaving a page with unsaved work', () => {
  it('asks first, and stays when the user cancels', () => {
    window.history.replaceState(null, '', '/models/3')
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    const release = guardLeaving(() => 'You have unsaved changes')
    navigate('/runs')
    expect(window.location.pathname).toBe('/models/3')
    expect(confirm).toHaveBeenCalledWith('You have unsaved changes')
    confirm.mockReturnValue(true)
    navigate('/runs')
    expect(window.location.pathname).toBe('/runs')
    release()
    confirm.mockClear()
    navigate('/datasets')
    expect(confirm).not.toHaveBeenCalled()
    confirm.mockRestore()
  })
})
