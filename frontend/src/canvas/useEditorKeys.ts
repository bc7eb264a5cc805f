// Editor shortcuts: undo/redo and copy/paste. Keys typed into a form field keep their
// usual meaning there (the browser's own undo in a text box, copying selected text).
import { useEffect, useRef } from 'react'

export interface EditorKeyHandlers {
  undo: () => void
  redo: () => void
  copy: () => void
  paste: () => void
}

export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** Which command a key press means, or null. */
export function commandFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null
  const key = event.key.toLowerCase()
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo'
  if (key === 'y' && !event.shiftKey) return 'redo'
  if (key === 'c' && !event.shiftKey) return 'copy'
  if (key === 'v' && !event.shiftKey) return 'paste'
  return null
}

export function useEditorKeys(handlers: EditorKeyHandlers): void {
  const latest = useRef(handlers)
  useEffect(() => {
    latest.current = handlers
  })
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = commandFor(event)
      if (command === null || isEditableTarget(event.target)) return
      if (command === 'copy' && (window.getSelection()?.toString() ?? '') !== '') return
      event.preventDefault()
      latest.current[command]()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}

/** Asks before leaving the page while there are unsaved edits. */
export function useUnsavedGuard(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault()
      event.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [dirty])
}
