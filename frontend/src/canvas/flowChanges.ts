// React Flow change lists turned into editor actions (pure, so tested without a browser).
import type { EdgeChange, NodeChange } from '@xyflow/react'
import type { EditorAction, Size } from './editorState'
import type { XY } from './model'

/**
 * Position, size and selection changes become actions. Removals are ignored here: the
 * editor handles them once in onDelete, so deleting nodes with their edges is one undo step.
 */
export function nodeChangeActions(changes: readonly NodeChange[]): EditorAction[] {
  const positions = new Map<string, XY>()
  const sizes = new Map<string, Size>()
  const selection: [string, boolean][] = []
  let moved = false
  let dragging = false
  for (const change of changes) {
    if (change.type === 'position') {
      moved = true
      dragging ||= change.dragging === true
      if (change.position) positions.set(change.id, change.position)
    } else if (change.type === 'dimensions' && change.dimensions) {
      sizes.set(change.id, change.dimensions)
    } else if (change.type === 'select') {
      selection.push([change.id, change.selected])
    }
  }
  const actions: EditorAction[] = []
  if (sizes.size > 0) actions.push({ type: 'measure', sizes })
  if (moved) actions.push({ type: 'move', positions, dragging })
  if (selection.length > 0) actions.push({ type: 'selectDelta', nodes: selection, edges: [] })
  return actions
}

export function edgeChangeActions(changes: readonly EdgeChange[]): EditorAction[] {
  const selection: [string, boolean][] = changes.flatMap((change) =>
    change.type === 'select' ? [[change.id, change.selected] as [string, boolean]] : [],
  )
  return selection.length > 0 ? [{ type: 'selectDelta', nodes: [], edges: selection }] : []
}
