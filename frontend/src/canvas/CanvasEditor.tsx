import '@xyflow/react/dist/style.css'
import './canvas.css'
import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { type JSX, useRef, useState } from 'react'
import type { GraphPublic, GraphSchemaPublic, GraphVersionPublic, PaletteEntry } from '../api/types'
import { clipboard, copyNodes, shifted } from './clipboard'
import { FlowCanvas } from './FlowCanvas'
import { canRedo, canUndo } from './history'
import { Inspector } from './Inspector'
import { freeSpot } from './layout'
import { type XY, nextNodeId } from './model'
import { Palette } from './Palette'
import { ProblemsPanel } from './ProblemsPanel'
import { SavePanel } from './SavePanel'
import { Toolbar } from './Toolbar'
import { useGraphSchema } from './useCanvasData'
import { useEditorKeys } from './useEditorKeys'
import { type EditorModel, useEditorModel } from './useEditorModel'

export interface CanvasEditorProps {
  /** null: a new, unsaved model (the first save creates it). */
  graphId: number | null
  /** The version to edit; null: an empty canvas. Re-mount (key) to edit another. */
  version: GraphVersionPublic | null
  onSaved: (graph: GraphPublic | null, version: GraphVersionPublic) => void
  onDirtyChange?: (dirty: boolean) => void
}

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

function useClipboardKeys({ dispatch, doc, state }: EditorModel) {
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
}

function Editor(props: CanvasEditorProps & { schema: GraphSchemaPublic }) {
  const model = useEditorModel(props)
  const { state, dispatch, doc, saver } = model
  const [hint, setHint] = useState<string | null>(null)
  const [palette] = useState(() => new Map(props.schema.palette.map((entry) => [entry.key, entry])))
  const wrapper = useRef<HTMLDivElement>(null)
  const flow = useReactFlow()
  useClipboardKeys(model)

  const add = (entry: PaletteEntry, position: XY) => {
    const node = { id: nextNodeId(doc, entry.label), type: entry.type, params: structuredClone(entry.params), position }
    dispatch({ type: 'add', node })
  }
  const addAtCentre = (entry: PaletteEntry) => {
    const box = wrapper.current?.getBoundingClientRect()
    const at = flow.screenToFlowPosition(box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: 0, y: 0 })
    add(entry, freeSpot(doc, { x: at.x - 100, y: at.y - 30 }))
  }
  const fit = () => void flow.fitView({ padding: 0.2, duration: 200 })
  const selectedNode =
    state.selectedNodes.length === 1 ? (doc.nodes.find((node) => node.id === state.selectedNodes[0]) ?? null) : null

  return (
    <div className="canvas-editor">
      <Palette entries={props.schema.palette} onAdd={addAtCentre} />
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
            window.setTimeout(fit, 50)
          }}
          onFit={fit}
          hint={hint}
          totals={model.totals}
        />
        <FlowCanvas model={model} palette={palette} wrapperRef={wrapper} onAdd={add} onHint={setHint} />
        <SavePanel isNew={saver.isNew} dirty={model.dirty} status={saver.status} onSave={(name, message) => saver.save(doc, name, message)} />
      </div>
      <div className="canvas-side">
        <Inspector
          node={selectedNode}
          selectedCount={state.selectedNodes.length}
          layer={selectedNode ? model.layers.get(selectedNode.type) : undefined}
          problems={selectedNode ? (model.problemsByNode.get(selectedNode.id) ?? []) : []}
          onParam={(nodeId, name, value) => dispatch({ type: 'setParam', nodeId, name, value })}
          onParams={(nodeId, changes) => dispatch({ type: 'setParams', nodeId, changes })}
          onCommit={() => dispatch({ type: 'seal' })}
        />
        <ProblemsPanel
          problems={model.problems}
          notice={model.analysisError}
          onPick={(nodeId) => {
            dispatch({ type: 'select', nodes: [nodeId], edges: [] })
            void flow.fitView({ nodes: [{ id: nodeId }], maxZoom: 1.2, duration: 200 })
          }}
        />
      </div>
    </div>
  )
}
