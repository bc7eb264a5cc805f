// The editor's state machine: the undoable document plus selection and measured sizes
// (neither of which is undoable). Pure, so every edit is testable without a browser.
import { type Clip, pasteClip } from './clipboard'
import { type History, commit, initHistory, redo, seal, undo } from './history'
import { autoLayout } from './layout'
import {
  type DocEdge,
  type DocNode,
  type GraphDoc,
  type XY,
  addNode,
  connect,
  edgeId,
  moveNodes,
  removeItems,
  setParam,
} from './model'

export interface Size {
  width: number
  height: number
}

export interface EditorState {
  history: History<GraphDoc>
  selectedNodes: string[]
  selectedEdges: string[]
  measured: Record<string, Size>
}

export type EditorAction =
  | { type: 'add'; node: DocNode }
  | { type: 'remove'; nodeIds: string[]; edgeIds: string[] }
  | { type: 'removeSelected' }
  | { type: 'connect'; edge: DocEdge }
  | { type: 'setParam'; nodeId: string; name: string; value: unknown }
  | { type: 'setParams'; nodeId: string; changes: readonly (readonly [string, unknown])[] }
  | { type: 'move'; positions: Map<string, XY>; dragging: boolean }
  | { type: 'select'; nodes: string[]; edges: string[] }
  /** React Flow's selection changes: [id, selected] pairs. */
  | { type: 'selectDelta'; nodes: [string, boolean][]; edges: [string, boolean][] }
  | { type: 'measure'; sizes: Map<string, Size> }
  | { type: 'paste'; clip: Clip }
  | { type: 'layout' }
  | { type: 'seal' }
  | { type: 'undo' }
  | { type: 'redo' }

export function initEditor(doc: GraphDoc): EditorState {
  return { history: initHistory(doc), selectedNodes: [], selectedEdges: [], measured: {} }
}

const select = (state: EditorState, nodes: string[], edges: string[] = []): EditorState => ({
  ...state,
  selectedNodes: nodes,
  selectedEdges: edges,
})

function applyDelta(selected: string[], delta: [string, boolean][]): string[] {
  if (delta.length === 0) return selected
  const next = new Set(selected)
  for (const [id, on] of delta) {
    if (on) next.add(id)
    else next.delete(id)
  }
  return [...next]
}

/** Drops selected ids that the (undone, redone, edited) document no longer has. */
function pruneSelection(state: EditorState): EditorState {
  const doc = state.history.present
  const nodes = new Set(doc.nodes.map((node) => node.id))
  const edges = new Set(doc.edges.map(edgeId))
  return select(
    state,
    state.selectedNodes.filter((id) => nodes.has(id)),
    state.selectedEdges.filter((id) => edges.has(id)),
  )
}

function edit(state: EditorState, next: GraphDoc, key: string | null = null): EditorState {
  return pruneSelection({ ...state, history: commit(state.history, next, key) })
}

function move(state: EditorState, positions: Map<string, XY>, dragging: boolean): EditorState {
  const moved = edit(state, moveNodes(state.history.present, positions), 'drag')
  // A drag is one undo step: it coalesces until the pointer is released.
  return dragging ? moved : { ...moved, history: seal(moved.history) }
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  const doc = state.history.present
  switch (action.type) {
    case 'add':
      return select(edit(state, addNode(doc, action.node)), [action.node.id])
    case 'remove':
      return edit(state, removeItems(doc, action.nodeIds, action.edgeIds))
    case 'removeSelected':
      return edit(state, removeItems(doc, state.selectedNodes, state.selectedEdges))
    case 'connect':
      return edit(state, connect(doc, action.edge))
    case 'setParam':
      // Typing into one field is one undo step.
      return edit(state, setParam(doc, action.nodeId, action.name, action.value), `param:${action.nodeId}:${action.name}`)
    case 'setParams':
      // Params that must change together (weights -> "none" clears weights_file): one step,
      // so an undo never lands on the invalid state between them.
      return edit(state, action.changes.reduce((next, [name, value]) => setParam(next, action.nodeId, name, value), doc))
    case 'move':
      return move(state, action.positions, action.dragging)
    case 'select':
      return select(state, action.nodes, action.edges)
    case 'selectDelta':
      return select(state, applyDelta(state.selectedNodes, action.nodes), applyDelta(state.selectedEdges, action.edges))
    case 'measure':
      return { ...state, measured: { ...state.measured, ...Object.fromEntries(action.sizes) } }
    case 'paste': {
      const pasted = pasteClip(doc, action.clip)
      return select(edit(state, pasted.doc), pasted.ids)
    }
    case 'layout':
      return edit(state, moveNodes(doc, autoLayout(doc)))
    case 'seal':
      return { ...state, history: seal(state.history) }
    case 'undo':
      return pruneSelection({ ...state, history: undo(state.history) })
    case 'redo':
      return pruneSelection({ ...state, history: redo(state.history) })
  }
}
