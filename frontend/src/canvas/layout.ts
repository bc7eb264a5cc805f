// Auto-layout: layered, top to bottom, one row per longest-path depth from the inputs.
import type { GraphDoc, XY } from './model'

export const ROW_GAP = 130
export const COLUMN_GAP = 240

/** Depth of every node: 0 for nodes with no inputs, else 1 + the deepest input. Cycles are cut. */
export function depths(doc: GraphDoc): Map<string, number> {
  const inputs = new Map<string, string[]>()
  for (const edge of doc.edges) inputs.set(edge.target, [...(inputs.get(edge.target) ?? []), edge.source])
  const depth = new Map<string, number>()
  const visiting = new Set<string>()
  const visit = (id: string): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0
    visiting.add(id)
    const sources = (inputs.get(id) ?? []).filter((source) => doc.nodes.some((node) => node.id === source))
    const value = sources.length === 0 ? 0 : 1 + Math.max(...sources.map(visit))
    visiting.delete(id)
    depth.set(id, value)
    return value
  }
  for (const node of doc.nodes) visit(node.id)
  return depth
}

/**
 * New positions for every node. Within a row, nodes are ordered by the mean column of
 * their inputs (then by their old x), which keeps parallel branches from crossing.
 */
export function autoLayout(doc: GraphDoc): Map<string, XY> {
  const depth = depths(doc)
  const rows: string[][] = []
  for (const node of doc.nodes) (rows[depth.get(node.id) ?? 0] ??= []).push(node.id)
  const oldX = new Map(doc.nodes.map((node) => [node.id, node.position.x]))
  const column = new Map<string, number>()
  const positions = new Map<string, XY>()
  rows.forEach((row = [], rowIndex) => {
    const score = (id: string) => {
      const cols = doc.edges.filter((e) => e.target === id).map((e) => column.get(e.source) ?? 0)
      return cols.length > 0 ? cols.reduce((a, b) => a + b, 0) / cols.length : 0
    }
    const ordered = [...row].sort((a, b) => score(a) - score(b) || (oldX.get(a) ?? 0) - (oldX.get(b) ?? 0))
    ordered.forEach((id, index) => {
      const col = index - (ordered.length - 1) / 2
      column.set(id, col)
      positions.set(id, { x: col * COLUMN_GAP, y: rowIndex * ROW_GAP })
    })
  })
  return positions
}

/** Roughly one node's footprint: a spot closer than this to a node would overlap it. */
export const NODE_FOOTPRINT = { width: 210, height: 90 }

/** The first spot at or below `at` that overlaps no node (for nodes added without a drop). */
export function freeSpot(doc: GraphDoc, at: XY): XY {
  const spot = { ...at }
  const overlaps = () =>
    doc.nodes.some(
      (node) =>
        Math.abs(node.position.x - spot.x) < NODE_FOOTPRINT.width &&
        Math.abs(node.position.y - spot.y) < NODE_FOOTPRINT.height,
    )
  for (let tries = 0; tries < 200 && overlaps(); tries += 1) spot.y += NODE_FOOTPRINT.height
  return spot
}

/** A graph whose nodes all sit on one spot (written by a tool, not the canvas) gets laid out. */
export function arrangeIfStacked(doc: GraphDoc): GraphDoc {
  const [first, ...rest] = doc.nodes
  if (!first || rest.length === 0) return doc
  const stacked = rest.every((node) => node.position.x === first.position.x && node.position.y === first.position.y)
  if (!stacked) return doc
  const positions = autoLayout(doc)
  return { ...doc, nodes: doc.nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position })) }
}
