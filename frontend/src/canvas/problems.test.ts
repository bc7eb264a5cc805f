import { describe, expect, it } from 'vitest'
import { byNode, fromAnalysis, fromErrorProblems } from './problems'
import type { GraphDoc } from './model'

const doc: GraphDoc = {
  nodes: [{ id: 'dense_1', type: 'Dense', params: {}, position: { x: 0, y: 0 } }],
  edges: [],
}

describe('problems', () => {
  it('locates a refused save by node id or by node index, with the param', () => {
    const located = fromErrorProblems(
      [
        { loc: ['graph', 'nodes', 'dense_1', 'params', 'units'], message: 'Field required' },
        { loc: ['body', 'graph', 'nodes', 0], message: 'Dense needs a flat input' },
        { loc: ['graph'], message: 'The graph has no Input' },
      ],
      doc,
    )
    expect(located).toEqual([
      { nodeId: 'dense_1', param: 'units', message: 'Field required' },
      { nodeId: 'dense_1', param: null, message: 'Dense needs a flat input' },
      { nodeId: null, param: null, message: 'The graph has no Input' },
    ])
    expect(byNode(located).get('dense_1')?.length).toBe(2)
  })

  it('reads analysis problems as they come', () => {
    expect(fromAnalysis([{ loc: ['x'], message: 'm', node_id: 'a', param: 'p' }])).toEqual([
      { nodeId: 'a', param: 'p', message: 'm' },
    ])
  })
})
