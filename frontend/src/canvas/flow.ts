// The document as React Flow nodes and edges, decorated with the latest analysis.
import type { Edge, Node } from '@xyflow/react'
import type { GraphAnalysis, LayerSchema, ParamCounts } from '../api/types'
import type { Size } from './editorState'
import { formatShape } from './format'
import { type GraphDoc, edgeId } from './model'
import type { CanvasProblem } from './problems'

export interface LayerNodeData extends Record<string, unknown> {
  type: string
  title: string
  /** "(None, 7, 7, 2048)", or null where the shape cannot be computed yet. */
  shape: string | null
  params: ParamCounts | null
  problems: string[]
  takesInput: boolean
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>

export interface Decorations {
  layers: ReadonlyMap<string, LayerSchema>
  analysis: GraphAnalysis | null
  problems: ReadonlyMap<string, CanvasProblem[]>
  selected: ReadonlySet<string>
  measured: Readonly<Record<string, Size>>
}

/** A Backbone is titled by its architecture; other nodes by their layer label. */
export function nodeTitle(type: string, params: Record<string, unknown>, layer?: LayerSchema): string {
  if (type === 'Backbone' && typeof params.architecture === 'string') return params.architecture
  return layer?.label ?? type
}

export function toFlowNodes(doc: GraphDoc, deco: Decorations): LayerFlowNode[] {
  return doc.nodes.map((node) => {
    const layer = deco.layers.get(node.type)
    const shape = deco.analysis?.shapes[node.id]
    return {
      id: node.id,
      type: 'layer',
      position: node.position,
      selected: deco.selected.has(node.id),
      measured: deco.measured[node.id],
      data: {
        type: node.type,
        title: nodeTitle(node.type, node.params, layer),
        shape: shape ? formatShape(shape) : null,
        params: deco.analysis?.params[node.id] ?? null,
        problems: (deco.problems.get(node.id) ?? []).map((p) => (p.param ? `${p.param}: ${p.message}` : p.message)),
        takesInput: (layer?.inputs ?? 'one') !== 'none',
      },
    }
  })
}

export function toFlowEdges(doc: GraphDoc, selected: ReadonlySet<string>): Edge[] {
  return doc.edges.map((edge) => {
    const id = edgeId(edge)
    return { id, source: edge.source, target: edge.target, sourceHandle: 'out', targetHandle: 'in', selected: selected.has(id) }
  })
}
