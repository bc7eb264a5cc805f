import { describe, expect, it } from 'vitest'
import { COLUMN_GAP, ROW_GAP, arrangeIfStacked, autoLayout, depths, freeSpot } from './layout'
import type { GraphDoc } from './model'

const node = (id: string, x = 0) => ({ id, type: 'T', params: {}, position: { x, y: 0 } })

describe('auto-layout', () => {
  it('puts each node one row below its deepest input and centres rows', () => {
    const doc: GraphDoc = {
      nodes: [node('add'), node('b', 50), node('in'), node('a', -50)],
      edges: [
        { source: 'in', target: 'a' },
        { source: 'in', target: 'b' },
        { source: 'a', target: 'add' },
        { source: 'in', target: 'add' },
        { source: 'b', target: 'add' },
      ],
    }
    expect(Object.fromEntries(depths(doc))).toEqual({ in: 0, a: 1, b: 1, add: 2 })
    const positions = autoLayout(doc)
    expect(positions.get('in')).toEqual({ x: 0, y: 0 })
    expect(positions.get('a')).toEqual({ x: -COLUMN_GAP / 2, y: ROW_GAP })
    expect(positions.get('b')).toEqual({ x: COLUMN_GAP / 2, y: ROW_GAP })
    expect(positions.get('add')).toEqual({ x: 0, y: 2 * ROW_GAP })
  })

  it('handles disconnected nodes and cycles without hanging', () => {
    const doc: GraphDoc = {
      nodes: [node('x'), node('y'), node('lonely')],
      edges: [
        { source: 'x', target: 'y' },
        { source: 'y', target: 'x' },
        { source: 'gone', target: 'lonely' },
      ],
    }
    const positions = autoLayout(doc)
    expect(positions.size).toBe(3)
    expect(positions.get('lonely')?.y).toBe(0)
  })
})

describe('free spot', () => {
  it('moves a new node down until it overlaps nothing', () => {
    const doc: GraphDoc = { nodes: [node('a'), { ...node('b'), position: { x: 20, y: 90 } }], edges: [] }
    expect(freeSpot(doc, { x: 10, y: 10 })).toEqual({ x: 10, y: 190 })
    expect(freeSpot(doc, { x: 400, y: 0 })).toEqual({ x: 400, y: 0 })
  })
})

describe('stacked graphs', () => {
  it('lays out a graph whose nodes share one spot, and leaves others alone', () => {
    const stacked: GraphDoc = { nodes: [node('in'), node('d')], edges: [{ source: 'in', target: 'd' }] }
    expect(arrangeIfStacked(stacked).nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 0, y: ROW_GAP }])
    const placed: GraphDoc = { ...stacked, nodes: [node('in'), node('d', 50)] }
    expect(arrangeIfStacked(placed)).toBe(placed)
  })
})
