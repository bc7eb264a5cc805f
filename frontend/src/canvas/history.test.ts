import { describe, expect, it } from 'vitest'
import { LIMIT, canRedo, canUndo, commit, initHistory, redo, seal, undo } from './history'

describe('history', () => {
  it('undoes and redoes, and a new commit clears the redo list', () => {
    let h = commit(commit(initHistory(1), 2), 3)
    h = undo(h)
    expect(h.present).toBe(2)
    expect(canRedo(h)).toBe(true)
    h = redo(h)
    expect(h.present).toBe(3)
    h = commit(undo(h), 9)
    expect(h.present).toBe(9)
    expect(canRedo(h)).toBe(false)
    expect(undo(undo(h)).present).toBe(1)
    expect(canUndo(initHistory(0))).toBe(false)
  })

  it('coalesces commits with the same key until sealed', () => {
    let h = commit(initHistory('a'), 'ab', 'typing')
    h = commit(h, 'abc', 'typing')
    expect(undo(h).present).toBe('a')
    h = commit(seal(h), 'abcd', 'typing')
    expect(undo(h).present).toBe('abc')
  })

  it('ignores a commit of the same value and keeps a bounded past', () => {
    const h = initHistory(0)
    expect(commit(h, 0)).toBe(h)
    let long = h
    for (let i = 1; i <= LIMIT + 5; i += 1) long = commit(long, i)
    expect(long.past.length).toBe(LIMIT)
  })
})
