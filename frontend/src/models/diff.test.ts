import { describe, expect, it } from 'vitest'
import type { GraphDiff } from '../api/types'
import { formatValue, summarizeDiff } from './diff'

const none: GraphDiff = { nodes_added: [], nodes_removed: [], nodes_changed: [], edges_added: [], edges_removed: [] }

describe('formatValue', () => {
  it('writes values as the canvas shows them', () => {
    expect(formatValue(512)).toBe('512')
    expect(formatValue('relu')).toBe('relu')
    expect(formatValue(true)).toBe('true')
    expect(formatValue([3, 3])).toBe('[3,3]')
    expect(formatValue('')).toBe('""')
  })

  it('marks a field missing on one side', () => {
    expect(formatValue(undefined)).toBe('(none)')
    expect(formatValue(null)).toBe('(none)')
  })
})

describe('summarizeDiff', () => {
  it('says when two versions build the same model', () => {
    expect(summarizeDiff(none).empty).toBe(true)
  })

  it('lists each changed parameter before and after, and edges as source → target', () => {
    const summary = summarizeDiff({
      nodes_added: ['dropout_1'],
      nodes_removed: ['pool'],
      nodes_changed: [{ id: 'dense', changes: [{ field: 'params.units', before: 512, after: 256 }] }],
      edges_added: [['dense', 'dropout_1']],
      edges_removed: [['backbone', 'pool']],
    })
    expect(summary.empty).toBe(false)
    expect(summary.added).toEqual(['dropout_1'])
    expect(summary.removed).toEqual(['pool'])
    expect(summary.changed).toEqual([{ id: 'dense', lines: [{ field: 'params.units', before: '512', after: '256' }] }])
    expect(summary.edgesAdded).toEqual(['dense → dropout_1'])
    expect(summary.edgesRemoved).toEqual(['backbone → pool'])
  })

  it('shows a parameter only one side has', () => {
    const summary = summarizeDiff({
      ...none,
      nodes_changed: [{ id: 'conv', changes: [{ field: 'params.padding', before: null, after: 'same' }] }],
    })
    expect(summary.changed[0]?.lines[0]).toEqual({ field: 'params.padding', before: '(none)', after: 'same' })
  })
})
