import { describe, expect, it } from 'vitest'
import { NODE_ID_PATTERN, docKey, fromSpec, idStem, moveNodes, nextNodeId, removeItems, setParam, toSpec } from './model'
import type { GraphDoc } from './model'

const doc: GraphDoc = {
  nodes: [
    { id: 'input_1', type: 'Input', params: { height: 224, width: 224, channels: 3 }, position: { x: 0, y: 0 } },
    { id: 'dense_1', type: 'Dense', params: { units: 3 }, position: { x: 0.4, y: 120.6 } },
  ],
  edges: [{ source: 'input_1', target: 'dense_1' }],
}

describe('spec round trip', () => {
  it('writes ports, the schema version and rounded positions', () => {
    const spec = toSpec(doc)
    expect(spec.schema_version).toBe(1)
    expect(spec.edges).toEqual([{ source: 'input_1', target: 'dense_1', source_port: 'out', target_port: 'in' }])
    expect(spec.nodes[1]?.position).toEqual({ x: 0, y: 121 })
    expect(fromSpec(spec).nodes.map((n) => n.id)).toEqual(['input_1', 'dense_1'])
  })

  it('opens missing or malformed parts as empty rather than failing', () => {
    expect(fromSpec(null)).toEqual({ nodes: [], edges: [] })
    expect(fromSpec({ nodes: [{ id: 'a', type: 'Flatten' }], edges: 'x' })).toEqual({
      nodes: [{ id: 'a', type: 'Flatten', params: {}, position: { x: 0, y: 0 } }],
      edges: [],
    })
  })

  it('keys equal content equally, ignoring sub-pixel moves', () => {
    expect(docKey(doc)).toBe(docKey(moveNodes(doc, new Map([['dense_1', { x: 0.1, y: 121.2 }]]))))
    expect(docKey(doc)).not.toBe(docKey(setParam(doc, 'dense_1', 'units', 4)))
  })
})

describe('node ids', () => {
  it('numbers the lowest free id per kind, in the allowed alphabet', () => {
    expect(nextNodeId(doc, 'Dense')).toBe('dense_2')
    expect(nextNodeId(doc, 'ResNet50')).toBe('resnet50_1')
    expect(nextNodeId(doc, 'Dense', new Set(['dense_2']))).toBe('dense_3')
    expect(idStem('Wide ResNet 50/2!')).toBe('wide_resnet_50_2')
    expect(NODE_ID_PATTERN.test(nextNodeId(doc, 'Ünïcode layer'))).toBe(true)
  })
})

describe('edits', () => {
  it('removing a node removes its edges too', () => {
    expect(removeItems(doc, ['input_1'])).toEqual({ nodes: [doc.nodes[1]], edges: [] })
    expect(removeItems(doc, [], ['input_1->dense_1']).edges).toEqual([])
  })

  it('undefined removes a param; other values set it', () => {
    expect(setParam(doc, 'dense_1', 'units', undefined).nodes[1]?.params).toEqual({})
    expect(setParam(doc, 'dense_1', 'activation', 'relu').nodes[1]?.params).toEqual({ units: 3, activation: 'relu' })
    expect(doc.nodes[1]?.params).toEqual({ units: 3 })
  })
})
