import { Background, Controls, type FinalConnectionState, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react'
import type { DragEvent, RefObject } from 'react'
import type { PaletteEntry } from '../api/types'
import { edgeChangeActions, nodeChangeActions } from './flowChanges'
import { LayerNode } from './LayerNode'
import type { XY } from './model'
import { PALETTE_MIME } from './palette'
import type { EditorModel } from './useEditorModel'

const nodeTypes = { layer: LayerNode }

interface FlowCanvasProps {
  model: EditorModel
  palette: ReadonlyMap<string, PaletteEntry>
  wrapperRef: RefObject<HTMLDivElement | null>
  onAdd: (entry: PaletteEntry, position: XY) => void
  onHint: (hint: string | null) => void
}

/** The React Flow surface: drops from the palette, moves, selection, connections, deletion. */
export function FlowCanvas({ model, palette, wrapperRef, onAdd, onHint }: FlowCanvasProps) {
  const { dispatch, problemOf } = model
  const flow = useReactFlow()

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    const entry = palette.get(event.dataTransfer.getData(PALETTE_MIME))
    if (!entry) return
    event.preventDefault()
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY })
    // Centre the new node's head on the pointer.
    onAdd(entry, { x: at.x - 100, y: at.y - 25 })
  }

  const onConnectEnd = (_event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
    const { fromNode, toNode, fromHandle, isValid } = connection
    if (!fromNode || !toNode || isValid) return
    const forward = fromHandle?.type !== 'target'
    const edge = forward ? { source: fromNode.id, target: toNode.id } : { source: toNode.id, target: fromNode.id }
    const reason = problemOf(edge)
    if (reason) onHint(`Not connected: ${reason}.`)
  }

  return (
    <div
      className="canvas-flow"
      data-testid="canvas"
      // Lets tests (and styles) wait until the live checks have answered the latest edit.
      data-analysis={model.analysing ? 'pending' : 'idle'}
      ref={wrapperRef}
      onDrop={onDrop}
      onDragOver={(event) => {
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
      }}
    >
      <ReactFlow
        nodes={model.nodes}
        edges={model.edges}
        nodeTypes={nodeTypes}
        onNodesChange={(changes) => nodeChangeActions(changes).forEach(dispatch)}
        onEdgesChange={(changes) => edgeChangeActions(changes).forEach(dispatch)}
        onDelete={({ nodes, edges }) =>
          dispatch({ type: 'remove', nodeIds: nodes.map((n) => n.id), edgeIds: edges.map((e) => e.id) })
        }
        onConnect={({ source, target }) => {
          if (problemOf({ source, target }) === null) dispatch({ type: 'connect', edge: { source, target } })
        }}
        onConnectStart={() => onHint(null)}
        onConnectEnd={onConnectEnd}
        isValidConnection={({ source, target }) => problemOf({ source, target }) === null}
        deleteKeyCode={['Delete', 'Backspace']}
        // An empty canvas keeps zoom 1: fitting on the first drop would jump the view.
        fitView={model.initialDoc.nodes.length > 0}
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        minZoom={0.1}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  )
}
