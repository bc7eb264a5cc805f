// Port rules checked while the user drags a connection, so an invalid edge never lands.
import type { LayerSchema } from '../api/types'
import type { DocEdge, GraphDoc } from './model'

export type InputArity = LayerSchema['inputs']

/** True when `to` can be reached from `from` along edges (so from -> ... -> to exists). */
export function reaches(doc: GraphDoc, from: string, to: string): boolean {
  const next = new Map<string, string[]>()
  for (const edge of doc.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target])
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (id === to) return true
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(next.get(id) ?? []))
  }
  return false
}

/** Why `edge` may not be added, or null when it may. `arity` gives a node type's input rule. */
export function connectionProblem(
  doc: GraphDoc,
  edge: DocEdge,
  arity: (type: string) => InputArity | undefined,
): string | null {
  const { source, target } = edge
  if (source === target) return 'A node cannot feed itself'
  const targetNode = doc.nodes.find((node) => node.id === target)
  if (!targetNode || !doc.nodes.some((node) => node.id === source)) return 'Unknown node'
  const rule = arity(targetNode.type) ?? 'one'
  if (rule === 'none') return `${targetNode.type} takes no inputs`
  if (doc.edges.some((e) => e.source === source && e.target === target)) return 'These nodes are already connected'
  if (rule === 'one' && doc.edges.some((e) => e.target === target)) {
    return `${targetNode.type} takes one input; use Add or Concatenate to merge`
  }
  if (reaches(doc, target, source)) return 'This connection would make a loop'
  return null
}
