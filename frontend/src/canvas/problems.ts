// One problem vocabulary for the canvas: from live analysis and from a refused save.
import type { AnalyzeProblem, Problem } from '../api/types'
import type { GraphDoc } from './model'

export interface CanvasProblem {
  nodeId: string | null
  param: string | null
  message: string
}

export const fromAnalysis = (problems: readonly AnalyzeProblem[]): CanvasProblem[] =>
  problems.map((p) => ({ nodeId: p.node_id, param: p.param, message: p.message }))

/**
 * Locates an error-body problem: loc ["body"?, "graph", "nodes", <id or index>, "params", <param>, ...].
 * An index is turned into the id of the node sent at that position.
 */
export function locate(problem: Problem, doc: GraphDoc): CanvasProblem {
  const { loc, message } = problem
  const at = loc.indexOf('nodes')
  const key = at >= 0 ? loc[at + 1] : undefined
  let nodeId: string | null = null
  if (typeof key === 'string') nodeId = key
  else if (typeof key === 'number') nodeId = doc.nodes[key]?.id ?? null
  const param = nodeId !== null && loc[at + 2] === 'params' && typeof loc[at + 3] === 'string' ? loc[at + 3] : null
  return { nodeId, param: param as string | null, message }
}

export const fromErrorProblems = (problems: readonly Problem[], doc: GraphDoc): CanvasProblem[] =>
  problems.map((problem) => locate(problem, doc))

export function byNode(problems: readonly CanvasProblem[]): Map<string, CanvasProblem[]> {
  const grouped = new Map<string, CanvasProblem[]>()
  for (const problem of problems) {
    if (problem.nodeId === null) continue
    grouped.set(problem.nodeId, [...(grouped.get(problem.nodeId) ?? []), problem])
  }
  return grouped
}
