import { describe, expect, it } from 'vitest'
import { isPlainClick, matchRoute } from './router'

describe('matchRoute', () => {
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

  it('reports anything else as not found', () => {
    expect(matchRoute('/runs/abc')).toEqual({ name: 'notFound', path: '/runs/abc' })
    expect(matchRoute('/nope')).toEqual({ name: 'notFound', path: '/nope' })
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
