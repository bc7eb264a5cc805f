import { describe, expect, it } from 'vitest'
import { canUndo } from './history'
import { type EditorAction, type EditorState, editorReducer, initEditor } from './editorState'
import { copyNodes } from './clipboard'
import type { DocNode } from './model'

const node = (id: string, type = 'Dense', x = 0): DocNode => ({ id, type, params: { units: 8 }, position: { x, y: 0 } })
const run = (state: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, state)
const ids = (state: EditorState) => state.history.present.nodes.map((n) => n.id)

describe('editor state', () => {
  it('adds and selects a node, and undo/redo restore the document and prune the selection', () => {
    const added = run(initEditor({ nodes: [], edges: [] }), { type: 'add', node: node('dense_1') })
    expect(ids(added)).toEqual(['dense_1'])
    expect(added.selectedNodes).toEqual(['dense_1'])
    const undone = run(added, { type: 'undo' })
    expect(ids(undone)).toEqual([])
    expect(undone.selectedNodes).toEqual([])
    expect(ids(run(undone, { type: 'redo' }))).toEqual(['dense_1'])
  })

  it('makes one undo step of a whole drag and of typing into one field', () => {
    const start = initEditor({ nodes: [node('a')], edges: [] })
    const dragged = run(
      start,
      { type: 'move', positions: new Map([['a', { x: 10, y: 0 }]]), dragging: true },
      { type: 'move', positions: new Map([['a', { x: 20, y: 5 }]]), dragging: true },
      { type: 'move', positions: new Map(), dragging: false },
      { type: 'setParam', nodeId: 'a', name: 'units', value: 5 },
      { type: 'setParam', nodeId: 'a', name: 'units', value: 51 },
      { type: 'setParam', nodeId: 'a', name: 'units', value: 512 },
    )
    expect(dragged.history.present.nodes[0]).toMatchObject({ position: { x: 20, y: 5 }, params: { units: 512 } })
    const once = run(dragged, { type: 'undo' })
    expect(once.history.present.nodes[0]).toMatchObject({ position: { x: 20, y: 5 }, params: { units: 8 } })
    expect(run(once, { type: 'undo' }).history.present.nodes[0]?.position).toEqual({ x: 0, y: 0 })
  })

  it('selection and measuring are not undo steps', () => {
    const state = run(
      initEditor({ nodes: [node('a'), node('b')], edges: [] }),
      { type: 'selectDelta', nodes: [['a', true], ['b', true]], edges: [] },
      { type: 'selectDelta', nodes: [['a', false]], edges: [] },
      { type: 'measure', sizes: new Map([['a', { width: 180, height: 60 }]]) },
    )
    expect(state.selectedNodes).toEqual(['b'])
    expect(state.measured.a).toEqual({ width: 180, height: 60 })
    expect(canUndo(state.history)).toBe(false)
  })

  it('deletes the selection with its edges in one step', () => {
    const state = run(
      initEditor({ nodes: [node('in', 'Input'), node('a'), node('b')], edges: [{ source: 'in', target: 'a' }, { source: 'a', target: 'b' }] }),
      { type: 'select', nodes: ['a'], edges: [] },
      { type: 'removeSelected' },
    )
    expect(state.history.present).toEqual({ nodes: [node('in', 'Input'), node('b')], edges: [] })
    expect(ids(run(state, { type: 'undo' }))).toEqual(['in', 'a', 'b'])
  })

  it('pastes copies with new ids, an offset and the edges among them, selected', () => {
    const start = initEditor({
      nodes: [node('dense_1'), node('dense_2', 'Dense', 100), node('input_1', 'Input')],
      edges: [{ source: 'input_1', target: 'dense_1' }, { source: 'dense_1', target: 'dense_2' }],
    })
    const clip = copyNodes(start.history.present, ['dense_1', 'dense_2'])
    expect(clip?.edges).toEqual([{ source: 'dense_1', target: 'dense_2' }])
    const pasted = run(start, { type: 'paste', clip: clip! })
    expect(ids(pasted)).toEqual(['dense_1', 'dense_2', 'input_1', 'dense_3', 'dense_4'])
    expect(pasted.history.present.edges.at(-1)).toEqual({ source: 'dense_3', target: 'dense_4' })
    expect(pasted.history.present.nodes[3]?.position).toEqual({ x: 40, y: 40 })
    expect(pasted.selectedNodes).toEqual(['dense_3', 'dense_4'])
    expect(copyNodes(start.history.present, [])).toBeNull()
  })

  it('auto-layout is one undoable step', () => {
    const start = initEditor({ nodes: [node('in', 'Input', 300), node('a', 'Dense', -300)], edges: [{ source: 'in', target: 'a' }] })
    const laid = run(start, { type: 'layout' })
    expect(laid.history.present.nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 0, y: 130 }])
    expect(run(laid, { type: 'undo' }).history.present).toBe(start.history.present)
  })
})

describe('params that change together', () => {
  it('are one undo step', () => {
    const start = initEditor({
      nodes: [{ id: 'b', type: 'Backbone', params: { weights: 'file', weights_file: 'ab' }, position: { x: 0, y: 0 } }],
      edges: [],
    })
    const changed = editorReducer(start, {
      type: 'setParams',
      nodeId: 'b',
      changes: [['weights', 'none'], ['weights_file', null]],
    })
    expect(changed.history.present.nodes[0]?.params).toEqual({ weights: 'none', weights_file: null })
    const undone = editorReducer(changed, { type: 'undo' })
    expect(undone.history.present.nodes[0]?.params).toEqual({ weights: 'file', weights_file: 'ab' })
  })
})
