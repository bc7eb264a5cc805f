import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../api/client'
import type { GraphVersionPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { useLoad } from '../datasets/useLoad'
import { scriptFileName } from './graphs'

interface CodeDialogProps {
  modelName: string
  version: GraphVersionPublic
  /** Unsaved edits are not in the script: say so rather than let the two be confused. */
  dirty: boolean
  onClose: () => void
}

/** The saved version as a runnable Keras script, to read, copy or download. */
export function CodeDialog({ modelName, version, dirty, onClose }: CodeDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const [copied, setCopied] = useState<string | null>(null)
  const load = useCallback((signal: AbortSignal) => api.graphCode(version.id, signal), [version.id])
  const { data, error } = useLoad(load)
  useEffect(() => {
    const dialog = ref.current
    if (dialog !== null && !dialog.open) dialog.showModal?.()
  }, [])
  const copy = () => {
    if (data === null) return
    navigator.clipboard.writeText(data).then(
      () => setCopied('Copied to the clipboard.'),
      () => setCopied('The browser refused the clipboard: select the text and copy it.'),
    )
  }
  const fileName = scriptFileName(modelName, version.version)
  return (
    <dialog ref={ref} className="code-dialog" data-testid="code-dialog" onClose={onClose}>
      <div className="page-title">
        <h2>
          Keras code: {modelName} v{version.version}
        </h2>
      </div>
      {dirty && <p className="muted">This is the saved version v{version.version}; your unsaved edits are not in it.</p>}
      {error !== null && (
        <ErrorBox error={error} title={error.status === 404 ? 'No code for this version (the server has no code endpoint, or the version is gone)' : 'Could not make the code'} />
      )}
      {data === null && error === null && <p className="muted">Writing the script…</p>}
      {data !== null && <pre className="code-block" data-testid="code-text">{data}</pre>}
      <div className="dialog-actions">
        <button type="button" className="button" disabled={data === null} onClick={copy}>
          Copy
        </button>
        <a className="button secondary" href={api.graphCodeUrl(version.id)} download={fileName}>
          Download {fileName}
        </a>
        <button type="button" className="button secondary" onClick={() => ref.current?.close()}>
          Close
        </button>
        {copied !== null && <span className="muted">{copied}</span>}
      </div>
    </dialog>
  )
}
