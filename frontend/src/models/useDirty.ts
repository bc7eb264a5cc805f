import { useCallback, useEffect, useRef, useState } from 'react'
import { discardQuestion } from './history'

/**
 * The editor's unsaved-edits flag, with `confirmDiscard` for actions that would replace the
 * canvas; the browser also asks before a reload or closing the tab loses them.
 */
export function useDirty() {
  const [dirty, setDirtyState] = useState(false)
  const ref = useRef(false)
  const setDirty = useCallback((value: boolean) => {
    ref.current = value
    setDirtyState(value)
  }, [])
  const confirmDiscard = useCallback((action: string) => {
    const question = discardQuestion(ref.current, action)
    return question === null || window.confirm(question)
  }, [])
  useEffect(() => {
    if (!dirty) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [dirty])
  return { dirty, setDirty, confirmDiscard }
}
