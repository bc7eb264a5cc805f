import { describe, expect, it } from 'vitest'
import type { GraphVersionPublic } from '../api/types'
import { comparePair, discardQuestion, keepKnownPicks, togglePick, versionRows } from './history'

function version(id: number, number: number): GraphVersionPublic {
  return {
    id,
    graph_id: 1,
    version: number,
    schema_version: 1,
    content_hash: `${id}abcdef0123456789`,
    spec: {},
    parent_id: null,
    message: `v${number}`,
    created_at: '2026-01-01T00:00:00Z',
  }
}

const versions = [version(30, 3), version(20, 2), version(10, 1)]

describe('togglePick', () => {
  it('picks up to two versions, unpicks a picked one, and starts over on a third', () => {
    expect(togglePick([], 10)).toEqual([10])
    expect(togglePick([10], 20)).toEqual([10, 20])
    expect(togglePick([10, 20], 20)).toEqual([10])
    expect(togglePick([10, 20], 30)).toEqual([30])
  })
})

describe('comparePair', () => {
  it('orders the pair older to newer whichever was picked first', () => {
    const pair = comparePair([30, 10], versions)
    expect(pair?.from.version).toBe(1)
    expect(pair?.to.version).toBe(3)
  })

  it('waits for two picks that exist', () => {
    expect(comparePair([10], versions)).toBeNull()
    expect(comparePair([10, 99], versions)).toBeNull()
  })

  it('drops picks the list no longer has', () => {
    expect(keepKnownPicks([10, 99], versions)).toEqual([10])
  })
})

describe('versionRows', () => {
  it('lists newest first, marks the edited version, the latest and the picks, with a short hash', () => {
    const rows = versionRows([version(10, 1), version(30, 3), version(20, 2)], 20, [10])
    expect(rows.map((row) => row.label)).toEqual(['v3', 'v2', 'v1'])
    expect(rows.map((row) => row.current)).toEqual([false, true, false])
    expect(rows.map((row) => row.latest)).toEqual([true, false, false])
    expect(rows.map((row) => row.picked)).toEqual([false, false, true])
    expect(rows[0]?.hash).toBe('30abcdef')
  })
})

describe('discardQuestion', () => {
  it('asks only when there are unsaved edits', () => {
    expect(discardQuestion(false, 'Open version 2')).toBeNull()
    expect(discardQuestion(true, 'Open version 2')).toContain('Open version 2 and discard them?')
  })
})
