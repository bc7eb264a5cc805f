import { describe, expect, it } from 'vitest'
import { edgeChangeActions, nodeChangeActions } from './flowChanges'
import { filterPalette, groupPalette } from './palette'
import { commandFor } from './useEditorKeys'

describe('React Flow changes', () => {
  it('turns moves, sizes and selection into actions and leaves removals to onDelete', () => {
    const actions = nodeChangeActions([
      { type: 'dimensions', id: 'a', dimensions: { width: 10, height: 20 } },
      { type: 'position', id: 'a', position: { x: 1, y: 2 }, dragging: true },
      { type: 'select', id: 'a', selected: true },
      { type: 'remove', id: 'b' },
    ])
    expect(actions.map((a) => a.type)).toEqual(['measure', 'move', 'selectDelta'])
    expect(actions[1]).toEqual({ type: 'move', positions: new Map([['a', { x: 1, y: 2 }]]), dragging: true })
    expect(nodeChangeActions([{ type: 'position', id: 'a', dragging: false }])).toEqual([
      { type: 'move', positions: new Map(), dragging: false },
    ])
    expect(edgeChangeActions([{ type: 'select', id: 'e', selected: false }, { type: 'remove', id: 'e' }])).toEqual([
      { type: 'selectDelta', nodes: [], edges: [['e', false]] },
    ])
  })
})

describe('palette', () => {
  const entry = (key: string, category: string, description = '') => ({ key, label: key, type: key, category, description, params: {} })
  const entries = [entry('Input', 'Input'), entry('Dense', 'Core', 'fully connected'), entry('Flatten', 'Core')]
  it('filters on every word and groups by category in order', () => {
    expect(filterPalette(entries, 'core connected').map((e) => e.key)).toEqual(['Dense'])
    expect(groupPalette(entries).map((g) => [g.category, g.entries.length])).toEqual([['Input', 1], ['Core', 2]])
  })
})

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
    commandFor({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods })
  it('maps Ctrl/Cmd combinations to commands', () => {
    expect(key('z', { ctrlKey: true })).toBe('undo')
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toBe('redo')
    expect(key('y', { metaKey: true })).toBe('redo')
    expect(key('c', { ctrlKey: true })).toBe('copy')
    expect(key('v', { ctrlKey: true })).toBe('paste')
    expect(key('z')).toBeNull()
  })
})
