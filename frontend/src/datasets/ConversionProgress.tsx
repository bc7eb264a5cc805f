import { useEffect, useState } from 'react'
import { ApiError, api } from '../api/client'
import type { ConversionPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { StatusBadge } from '../components/StatusBadge'
import { datasetPath } from '../router'

const POLL_MS = 1_000
const FINISHED = new Set(['succeeded', 'failed', 'cancelled'])

/** Polls the conversion every second until it finishes; a failed poll is shown and retried. */
function useConversion(initial: ConversionPublic): { conversion: ConversionPublic; error: ApiError | null } {
  const [state, setState] = useState({ conversion: initial, error: null as ApiError | null })
  const id = initial.id
  const finished = FINISHED.has(state.conversion.status)
  useEffect(() => {
    if (finished) return
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const tick = async () => {
      try {
        const conversion = await api.conversion(id, controller.signal)
        setState({ conversion, error: null })
        if (FINISHED.has(conversion.status)) return
      } catch (error) {
        if (controller.signal.aborted) return
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'client', String(error))
        setState((previous) => ({ ...previous, error: apiError }))
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void tick(), POLL_MS)
    }
    timer = setTimeout(() => void tick(), POLL_MS)
    return () => {
      controller.abort()
      clearTimeout(timer)
    }
  }, [id, finished])
  return state
}

export function ConversionProgress({ initial }: { initial: ConversionPublic }) {
  const { conversion, error } = useConversion(initial)
  const { done, total, status } = conversion
  return (
    <div className="conversion" data-testid="conversion" data-conversion-id={conversion.id} data-status={status}>
      <p>
        <strong>{conversion.name}</strong> <StatusBadge status={status} testId="conversion-status" />
      </p>
      <progress data-testid="conversion-progress" value={done} max={Math.max(total, 1)} />{' '}
      <span className="muted">
        {done} of {total} recordings
      </span>
      {error !== null && <ErrorBox error={error} title="Could not check the conversion" />}
      {status === 'succeeded' && conversion.result_dataset_id !== null && (
        <p data-testid="conversion-result">
          Spectrogram dataset:{' '}
          <Link to={datasetPath(conversion.result_dataset_id)}>
            {conversion.name} (dataset {conversion.result_dataset_id})
          </Link>
        </p>
      )}
      {status === 'failed' && (
        <div className="error-box" role="alert" data-testid="conversion-error">
          <strong>The conversion failed</strong>
          <p>{conversion.error_message ?? 'No reason was recorded.'}</p>
        </div>
      )}
    </div>
  )
}
