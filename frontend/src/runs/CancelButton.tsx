import { useState } from 'react'
import { ApiError, trainingApi } from '../api/client'
import { isTerminal, type RunStatus } from '../api/types'

interface CancelButtonProps {
  runId: number
  status: RunStatus
  /** The server already has a cancel request (from this page or another). */
  requested: boolean
}

/** Asks first; once asked, stays disabled and says "cancelling…" until the final status arrives. */
export function CancelButton({ runId, status, requested }: CancelButtonProps) {
  const [asked, setAsked] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (isTerminal(status)) return null
  const pending = asked || requested
  const cancel = async () => {
    if (!window.confirm('Cancel this run? Training stops at the next batch; epochs already finished are kept.')) return
    setAsked(true)
    setError(null)
    try {
      await trainingApi.cancelRun(runId)
    } catch (reason) {
      // 409: it finished meanwhile; the status event will say how.
      if (reason instanceof ApiError && reason.status === 409) return
      setAsked(false)
      setError(reason instanceof Error ? reason.message : String(reason))
    }
  }
  return (
    <>
      <button type="button" className="button danger" data-testid="cancel-run" disabled={pending} onClick={() => void cancel()}>
        {pending ? 'Cancelling…' : 'Cancel run'}
      </button>
      {error !== null && (
        <span className="field-problem" role="alert">
          Could not cancel: {error}
        </span>
      )}
    </>
  )
}
