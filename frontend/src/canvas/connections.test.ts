import { describe, expect, it } from 'vitest'
import { type InputArity, connectionProblem, reaches } from './connections'
import type { GraphDoc } from './model'

const node = (id: string, type: string) => ({ id, type, params: {}, position: { x: 0, y: 0 } })
const doc: GraphDoc = {
  nodes: [node('in', 'Input'), node('a', 'Conv2D'), node('b', 'Conv2D'), node('add', 'Add'), node('d', 'Dense')],
  edges: [
    { source: 'in', target: 'a' },
    { source: 'a', target: 'b' },
    { source: 'a', target: 'add' },
  ],
}
const rules: Record<string, InputArity> = { Input: 'none', Add: 'many' }
const arity = (type: string): InputArity => rules[type] ?? 'one'
const check = (source: string, target: string) => connectionProblem(doc, { source, target }, arity)

describe('connection rules', () => {
  it('accepts a free input and a second input into a merge node', () => {
    expect(check('b', 'd')).toBeNull()
    expect(check('b', 'add')).toBeNull()
  })

  it('refuses self-loops, inputs into Input, second inputs, duplicates and cycles', () => {
    expect(check('a', 'a')).toMatch(/itself/)
    expect(check('d', 'in')).toMatch(/Input takes no inputs/)
    expect(check('d', 'b')).toMatch(/one input/)
    expect(check('a', 'add')).toMatch(/already connected/)
    expect(check('add', 'add')).toMatch(/itself/)
    const withMerge = { ...doc, edges: [...doc.edges, { source: 'b', target: 'add' }] }
    expect(reaches(withMerge, 'a', 'add')).toBe(true)
    expect(connectionProblem({ ...doc, nodes: [...doc.nodes, node('c', 'Add')], edges: [...doc.edges, { source: 'add', target: 'c' }] }, { source: 'c', target: 'add' }, arity)).toMatch(/loop/)
  })

  it('refuses unknown nodes', () => {
    expect(check('ghost', 'd')).toMatch(/Unknown/)
  })
})
