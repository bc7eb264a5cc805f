// Copy and paste of selected nodes with the edges among them, under fresh ids.
import { type DocEdge, type DocNode, type GraphDoc, idStem, nextNodeId } from './model'

export interface Clip {
  nodes: DocNode[]
  edges: DocEdge[]
}

export const PASTE_OFFSET = 40

export function copyNodes(doc: GraphDoc, ids: Iterable<string>): Clip | null {
  const chosen = new Set(ids)
  const nodes = doc.nodes.filter((node) => chosen.has(node.id))
  if (nodes.length === 0) return null
  const edges = doc.edges.filter((edge) => chosen.has(edge.source) && chosen.has(edge.target))
  return { nodes: structuredClone(nodes), edges: structuredClone(edges) }
}

/** "dense_3" -> "dense": a pasted copy is numbered like a new node of its kind. */
const stemOf = (id: string) => idStem(id.replace(/_\d+$/, ''))

/** The document with the clip added, and the new ids (to select them). */
export function pasteClip(doc: GraphDoc, clip: Clip, offset = PASTE_OFFSET): { doc: GraphDoc; ids: string[] } {
  const renamed = new Map<string, string>()
  const taken = new Set<string>()
  for (const node of clip.nodes) {
    const id = nextNodeId(doc, stemOf(node.id), taken)
    taken.add(id)
    renamed.set(node.id, id)
  }
  const nodes = clip.nodes.map((node) => ({
    ...structuredClone(node),
    id: renamed.get(node.id) as string,
    position: { x: node.position.x + offset, y: node.position.y + offset },
  }))
  const edges = clip.edges.map((edge) => ({
    source: renamed.get(edge.source) as string,
    target: renamed.get(edge.target) as string,
  }))
  return { doc: { nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, ids: [...renamed.values()] }
}

/** The copied nodes, shared by every editor on the page (copy in one model, paste in another). */
export const clipboard: { clip: Clip | null } = { clip: null }

/** The clip moved by one offset, so pasting twice does not stack copies. */
export const shifted = (clip: Clip, offset = PASTE_OFFSET): Clip => ({
  ...clip,
  nodes: clip.nodes.map((node) => ({ ...node, position: { x: node.position.x + offset, y: node.position.y + offset } })),
})
