// Everything the editor derives from its document: analysis, problems, dirtiness, save,
// and the React Flow nodes and edges. Components only render it and dispatch actions.
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react'
import type { GraphPublic, GraphSchemaPublic, GraphVersionPublic } from '../api/types'
import { connectionProblem } from './connections'
import { editorReducer, initEditor } from './editorState'
import { toFlowEdges, toFlowNodes } from './flow'
import { arrangeIfStacked } from './layout'
import { type DocEdge, docKey, fromSpec } from './model'
import { type CanvasProblem, byNode, fromAnalysis } from './problems'
import { useAnalysis } from './useCanvasData'
import { useUnsavedGuard } from './useEditorKeys'
import { useSave } from './useSave'

export interface EditorModelOptions {
  graphId: number | null
  version: GraphVersionPublic | null
  onSaved: (graph: GraphPublic | null, version: GraphVersionPublic) => void
  onDirtyChange?: (dirty: boolean) => void
  schema: GraphSchemaPublic
}

export function uniqueProblems(problems: CanvasProblem[]): CanvasProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = `${p.nodeId}|${p.param}|${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function useProblems(analysisProblems: CanvasProblem[], refused: CanvasProblem[]) {
  const problems = useMemo(() => uniqueProblems([...refused, ...analysisProblems]), [analysisProblems, refused])
  return { problems, problemsByNode: useMemo(() => byNode(problems), [problems]) }
}

const NO_PROBLEMS: CanvasProblem[] = []

export function useEditorModel({ graphId, version, onSaved, onDirtyChange, schema }: EditorModelOptions) {
  const [initialDoc] = useState(() => arrangeIfStacked(fromSpec(version?.spec)))
  const [state, dispatch] = useReducer(editorReducer, initialDoc, initEditor)
  const doc = state.history.present
  const layers = useMemo(() => new Map(schema.layers.map((layer) => [layer.type, layer])), [schema])
  const { analysis, error: analysisError, pending: analysing } = useAnalysis(doc)
  const saver = useSave({ graphId, version, initialDoc, onSaved })
  const key = useMemo(() => docKey(doc), [doc])
  const dirty = key !== saver.savedKey
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange])
  useUnsavedGuard(dirty)

  // A refused save's problems stay on screen until the canvas changes.
  const refused = saver.refused?.key === key ? saver.refused.problems : NO_PROBLEMS
  // An answer for an older draft may name nodes deleted since; they are not shown.
  const analysisProblems = useMemo(() => {
    const ids = new Set(doc.nodes.map((node) => node.id))
    return fromAnalysis(analysis?.problems ?? []).filter((p) => p.nodeId === null || ids.has(p.nodeId))
  }, [analysis, doc.nodes])
  const { problems, problemsByNode } = useProblems(analysisProblems, refused)
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
  const totals = analysis?.valid === true ? analysis.totals : null
  return { state, dispatch, doc, initialDoc, layers, analysisError, analysing, totals, saver, dirty, problems, problemsByNode, nodes, edges, problemOf }
}

export type EditorModel = ReturnType<typeof useEditorModel>
