import { lazy, Suspense } from 'react'
import type { CanvasEditorProps } from '../canvas/CanvasEditor'

// The canvas (React Flow and the editor) is most of the bundle; the runs and datasets pages
// should not wait for it, so it loads when a model page first opens.
const CanvasEditor = lazy(async () => ({ default: (await import('../canvas/CanvasEditor')).CanvasEditor }))

export function LazyCanvasEditor(props: CanvasEditorProps) {
  return (
    <Suspense fallback={<p className="muted">Loading the canvas…</p>}>
      <CanvasEditor {...props} />
    </Suspense>
  )
}
