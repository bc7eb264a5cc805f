// The canvas's graph document: the saved GraphSpec minus its version number, plus
// the pure edits the editor makes to it. Every edit returns a new document.
import type { GraphSpec } from '../api/types'

export interface XY {
  x: number
  y: number
}

export interface DocNode {
  id: string
  type: string
  params: Record<string, unknown>
  position: XY
}

export interface DocEdge {
  source: string
  target: string
}

export interface GraphDoc {
  nodes: DocNode[]
  edges: DocEdge[]
}

export const SCHEMA_VERSION = 1
export const EMPTY_DOC: GraphDoc = { nodes: [], edges: [] }
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]+$/

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function readPosition(value: unknown): XY {
  if (!isRecord(value)) return { x: 0, y: 0 }
  const x = Number(value.x)
  const y = Number(value.y)
  return { x: Number.isFinite(x) ? x : 0, y: Number.isFinite(y) ? y : 0 }
}

/** Reads a stored spec defensively: a version saved by an older studio must still open. */
export function fromSpec(spec: unknown): GraphDoc {
  if (!isRecord(spec)) return EMPTY_DOC
  const rawNodes = Array.isArray(spec.nodes) ? spec.nodes : []
  const nodes: DocNode[] = rawNodes.filter(isRecord).map((node) => ({
    id: String(node.id),
    type: String(node.type),
    params: isRecord(node.params) ? { ...node.params } : {},
    position: readPosition(node.position),
  }))
  const rawEdges = Array.isArray(spec.edges) ? spec.edges : []
  const edges = rawEdges
    .filter(isRecord)
    .map((edge) => ({ source: String(edge.source), target: String(edge.target) }))
  return { nodes, edges }
}

export function toSpec(doc: GraphDoc): GraphSpec {
  return {
    schema_version: SCHEMA_VERSION,
    nodes: doc.nodes.map(({ id, type, params, position }) => ({
      id,
      type,
      params,
      position: { x: Math.round(position.x), y: Math.round(position.y) },
    })),
    edges: doc.edges.map(({ source, target }) => ({ source, target, source_port: 'out', target_port: 'in' })),
  }
}

/** Equal keys mean equal saved content (positions rounded as saved). */
export const docKey = (doc: GraphDoc): string => JSON.stringify(toSpec(doc))

export const edgeId = (edge: DocEdge): string => `${edge.source}->${edge.target}`

/** "ResNet50" -> "resnet50"; anything outside the id alphabet becomes "_". */
export function idStem(label: string): string {
  const stem = label.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '')
  return stem.slice(0, 50) || 'node'
}

/** The lowest free `<stem>_<n>`, skipping ids in `taken` as well as the document's. */
export function nextNodeId(doc: GraphDoc, label: string, taken: ReadonlySet<string> = new Set()): string {
  const stem = idStem(label)
  const used = new Set(doc.nodes.map((node) => node.id))
  for (let n = 1; ; n += 1) {
    const id = `${stem}_${n}`
    if (!used.has(id) && !taken.has(id)) return id
  }
}

export function addNode(doc: GraphDoc, node: DocNode): GraphDoc {
  return { ...doc, nodes: [...doc.nodes, node] }
}

/** Removes nodes (with every edge touching them) and edges by id. */
export function removeItems(doc: GraphDoc, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): GraphDoc {
  const nodes = new Set(nodeIds)
  const edges = new Set(edgeIds)
  return {
    nodes: doc.nodes.filter((node) => !nodes.has(node.id)),
    edges: doc.edges.filter(
      (edge) => !nodes.has(edge.source) && !nodes.has(edge.target) && !edges.has(edgeId(edge)),
    ),
  }
}

export function connect(doc: GraphDoc, edge: DocEdge): GraphDoc {
  return { ...doc, edges: [...doc.edges, { source: edge.source, target: edge.target }] }
}

/** `undefined` removes the param (the API then says it is required). */
export function setParam(doc: GraphDoc, nodeId: string, name: string, value: unknown): GraphDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((node) => {
      if (node.id !== nodeId) return node
      const params = { ...node.params }
      if (value === undefined) delete params[name]
      else params[name] = value
      return { ...node, params }
    }),
  }
}

export function moveNodes(doc: GraphDoc, positions: ReadonlyMap<string, XY>): GraphDoc {
  if (positions.size === 0) return doc
  return {
    ...doc,
    nodes: doc.nodes.map((node) => {
      const position = positions.get(node.id)
      return position ? { ...node, position } : node
    }),
  }
}
