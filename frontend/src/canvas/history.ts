// Undo/redo over immutable snapshots. Consecutive commits with the same coalescing
// key (one drag, typing into one field) replace the present instead of adding steps.
export interface History<T> {
  past: T[]
  present: T
  future: T[]
  /** Key of the last commit; null after undo/redo or a commit without one. */
  lastKey: string | null
}

export const LIMIT = 200

export function initHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null }
}

export function commit<T>(history: History<T>, next: T, key: string | null = null): History<T> {
  if (next === history.present) return history
  if (key !== null && key === history.lastKey) return { ...history, present: next, future: [] }
  const past = [...history.past, history.present].slice(-LIMIT)
  return { past, present: next, future: [], lastKey: key }
}

/** Ends a coalescing run, so the next commit with the same key starts a new step. */
export function seal<T>(history: History<T>): History<T> {
  return history.lastKey === null ? history : { ...history, lastKey: null }
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1)
  if (previous === undefined) return history
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], lastKey: null }
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...future] = history.future
  if (next === undefined) return history
  return { past: [...history.past, history.present], present: next, future, lastKey: null }
}

export const canUndo = <T>(history: History<T>) => history.past.length > 0
export const canRedo = <T>(history: History<T>) => history.future.length > 0
