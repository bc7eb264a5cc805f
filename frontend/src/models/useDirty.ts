import { useCallback, useEffect, useRef, useState } from 'react'
import { guardLeaving } from '../router'
import { discardQuestion } from './history'

/**
 * The editor's unsaved-edits flag, with `confirmDiscard` for history actions that would
 * replace the canvas, and the same question before the app's links or Back leave the page.
 * (The editor itself asks before a reload or closing the tab.)
 */
export function useDirty() {
  const [dirty, setDirtyState] = useState(false)
  // Read by confirmDiscard in event handlers, which may run before a re-render.
  const ref = useRef(false)
  const setDirty = useCallback((value: boolean) => {
    ref.current = value
    setDirtyState(value)
  }, [])
  useEffect(() => guardLeaving(() => discardQuestion(ref.current, 'Leave this page')), [])
  const confirmDiscard = useCallback((action: string) => {
    const question = discardQuestion(ref.current, action)
    return question === null || window.confirm(question)
  }, [])
  return { dirty, setDirty, confirmDiscard }
}
