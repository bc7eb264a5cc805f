import '@xyflow/react/dist/style.css'
import './canvas.css'
import {
  Background,
  Controls,
  type FinalConnectionState,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react'
import { type DragEvent, type JSX, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react'
import type { GraphPublic, GraphSchemaPublic, GraphVersionPublic, PaletteEntry } from '../api/types'
import { clipboard, copyNodes, shifted } from './clipboard'
import { connectionProblem } from './connections'
import { canRedo, canUndo } from './history'
import { freeSpot } from './layout'
import { editorReducer, initEditor } from './editorState'
import { toFlowEdges, toFlowNodes } from './flow'
import { edgeChangeActions, nodeChangeActions } from './flowChanges'
import { Inspector } from './Inspector'
import { LayerNode } from './LayerNode'
import { type DocEdge, type XY, docKey, fromSpec, nextNodeId } from './model'
import { PALETTE_MIME } from './palette'
import { Palette } from './Palette'
import { byNode, fromAnalysis, type CanvasProblem } from './problems'
import { ProblemsPanel } from './ProblemsPanel'
import { SavePanel } from './SavePanel'
import { Toolbar } from './Toolbar'
import { useAnalysis, useGraphSchema } from './useCanvasData'
import { useEditorKeys, useUnsavedGuard } from './useEditorKeys'
import { useSave } from './useSave'

export interface CanvasEditorProps {
  /** null: a new, unsaved model (the first save creates it). */
  graphId: number | null
  /** The version to edit; null: an empty canvas. Re-mount (key) to edit another. */
  version: GraphVersionPublic | null
  onSaved: (graph: GraphPublic | null, version: GraphVersionPublic) => void
  onDirtyChange?: (dirty: boolean) => void
}

const nodeTypes = { layer: LayerNode }

export function CanvasEditor(props: CanvasEditorProps): JSX.Element {
  const { schema, error } = useGraphSchema()
  if (error) return <div className="error-box">Cannot load the layer catalogue: {error}</div>
  if (!schema) return <p className="muted">Loading the layer catalogue…</p>
  return (
    <ReactFlowProvider>
      <Editor {...props} schema={schema} />
    </ReactFlowProvider>
  )
}

function uniqueProblems(problems: CanvasProblem[]): CanvasProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = `${p.nodeId}|${p.param}|${p.message}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
}

function Editor({ graphId, version, onSaved, onDirtyChange, schema }: CanvasEditorProps & { schema: GraphSchemaPublic }) {
  const [initialDoc] = useState(() => fromSpec(version?.spec))
  const [state, dispatch] = useReducer(editorReducer, initialDoc, initEditor)
  const [hint, setHint] = useState<string | null>(null)
  const doc = state.history.present
  const flow = useReactFlow()
  const wrapper = useRef<HTMLDivElement>(null)
  const layers = useMemo(() => new Map(schema.layers.map((layer) => [layer.type, layer])), [schema])
  const palette = useMemo(() => new Map(schema.palette.map((entry) => [entry.key, entry])), [schema])
  const { analysis, error: analysisError } = useAnalysis(doc)
  const saver = useSave({ graphId, version, initialDoc, onSaved })
  const key = useMemo(() => docKey(doc), [doc])
  const dirty = key !== saver.savedKey

  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange])
  useUnsavedGuard(dirty)

  const problems = useMemo(() => {
    const refused = saver.refused?.key === key ? saver.refused.problems : []
    return uniqueProblems([...refused, ...fromAnalysis(analysis?.problems ?? [])])
  }, [analysis, saver.refused, key])
  const problemsByNode = useMemo(() => byNode(problems), [problems])
  const nodes = useMemo(
    () =>
      toFlowNodes(doc, {
        layers,
        analysis,
        problems: problemsByNode,
        selected: new Set(state.selectedNodes),
        measured: state.measured,
      }),
    [doc, layers, analysis, problemsByNode, state.selectedNodes, state.measured],
  )
  const edges = useMemo(() => toFlowEdges(doc, new Set(state.selectedEdges)), [doc, state.selectedEdges])

  const arity = useCallback((type: string) => layers.get(type)?.inputs, [layers])
  const problemOf = useCallback((edge: DocEdge) => connectionProblem(doc, edge, arity), [doc, arity])

  const addEntry = useCallback(
    (entry: PaletteEntry, position: XY) => {
      const id = nextNodeId(doc, entry.label)
      dispatch({ type: 'add', node: { id, type: entry.type, params: structuredClone(entry.params), position } })
    },
    [doc],
  )

  const addAtCentre = (entry: PaletteEntry) => {
    const box = wrapper.current?.getBoundingClientRect()
    const centre = box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: 0, y: 0 }
    const at = flow.screenToFlowPosition(centre)
    addEntry(entry, freeSpot(doc, { x: at.x - 100, y: at.y - 30 }))
  }

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    const entry = palette.get(event.dataTransfer.getData(PALETTE_MIME))
    if (!entry) return
    event.preventDefault()
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY })
    addEntry(entry, { x: at.x - 90, y: at.y - 25 })
  }

  const onConnectEnd = (_event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
    const { fromNode, toNode, fromHandle, isValid } = connection
    if (!fromNode || !toNode || isValid) return
    const forward = fromHandle?.type !== 'target'
    const edge = forward ? { source: fromNode.id, target: toNode.id } : { source: toNode.id, target: fromNode.id }
    const reason = problemOf(edge)
    if (reason) setHint(`Not connected: ${reason}.`)
  }

  useEditorKeys({
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
    copy: () => {
      const clip = copyNodes(doc, state.selectedNodes)
      if (clip) clipboard.clip = clip
    },
    paste: () => {
      if (!clipboard.clip) return
      dispatch({ type: 'paste', clip: clipboard.clip })
      clipboard.clip = shifted(clipboard.clip)
    },
  })

  const selectedNode =
    state.selectedNodes.length === 1 ? (doc.nodes.find((node) => node.id === state.selectedNodes[0]) ?? null) : null

  return (
    <div className="canvas-editor">
      <Palette entries={schema.palette} onAdd={addAtCentre} />
      <div className="canvas-centre">
        <Toolbar
          canUndo={canUndo(state.history)}
          canRedo={canRedo(state.history)}
          canDelete={state.selectedNodes.length + state.selectedEdges.length > 0}
          onUndo={() => dispatch({ type: 'undo' })}
          onRedo={() => dispatch({ type: 'redo' })}
          onDelete={() => dispatch({ type: 'removeSelected' })}
          onLayout={() => {
            dispatch({ type: 'layout' })
            window.setTimeout(() => void flow.fitView({ padding: 0.2, duration: 200 }), 50)
          }}
          onFit={() => void flow.fitView({ padding: 0.2, duration: 200 })}
          hint={hint}
        />
        <div
          className="canvas-flow"
          data-testid="canvas"
          ref={wrapper}
          onDrop={onDrop}
          onDragOver={(event) => {
            event.preventDefault()
            event.dataTransfer.dropEffect = 'copy'
          }}
        >
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={(changes) => nodeChangeActions(changes).forEach(dispatch)}
            onEdgesChange={(changes) => edgeChangeActions(changes).forEach(dispatch)}
            onDelete={({ nodes: gone, edges: cut }) =>
              dispatch({ type: 'remove', nodeIds: gone.map((n) => n.id), edgeIds: cut.map((e) => e.id) })
            }
            onConnect={({ source, target }) => {
              if (problemOf({ source, target }) === null) dispatch({ type: 'connect', edge: { source, target } })
            }}
            onConnectStart={() => setHint(null)}
            onConnectEnd={onConnectEnd}
            isValidConnection={({ source, target }) => problemOf({ source, target }) === null}
            deleteKeyCode={['Delete', 'Backspace']}
            // An empty canvas keeps zoom 1: fitting on the first drop would jump the view.
            fitView={initialDoc.nodes.length > 0}
            fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
            minZoom={0.1}
          >
            <Background gap={16} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
        <SavePanel
          isNew={saver.isNew}
          dirty={dirty}
          status={saver.status}
          onSave={(name, message) => saver.save(doc, name, message)}
        />
      </div>
      <div className="canvas-side">
        <Inspector
          node={selectedNode}
          selectedCount={state.selectedNodes.length}
          layer={selectedNode ? layers.get(selectedNode.type) : undefined}
          problems={selectedNode ? (problemsByNode.get(selectedNode.id) ?? []) : []}
          onParam={(nodeId, name, value) => dispatch({ type: 'setParam', nodeId, name, value })}
          onCommit={() => dispatch({ type: 'seal' })}
        />
        <ProblemsPanel
          problems={problems}
          notice={analysisError}
          onPick={(nodeId) => {
            dispatch({ type: 'select', nodes: [nodeId], edges: [] })
            void flow.fitView({ nodes: [{ id: nodeId }], maxZoom: 1.2, duration: 200 })
          }}
        />
      </div>
    </div>
  )
}
