import { useCallback, useRef, useState } from 'react'
import { discardQuestion } from './history'

/**
 * The editor's unsaved-edits flag, with `confirmDiscard` for history actions that would
 * replace the canvas. (The editor itself asks before a reload or closing the tab.)
 */
export function useDirty() {
  const [dirty, setDirtyState] = useState(false)
  // Read by confirmDiscard in event handlers, which may run before a re-render.
  const ref = useRef(false)
  const setDirty = useCallback((value: boolean) => {
    ref.current = value
    setDirtyState(value)
  }, [])
  const confirmDiscard = useCallback((action: string) => {
    const question = discardQuestion(ref.current, action)
    return question === null || window.confirm(question)
  }, [])
  return { dirty, setDirty, confirmDiscard }
}
