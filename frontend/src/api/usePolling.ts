import { useEffect, useState } from 'react'
import { ApiError } from './client'

export interface Polled<T> {
  data: T | null
  error: ApiError | null
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(0, 'client', error instanceof Error ? error.message : String(error))
}

/**
 * Calls `load` now and again `intervalMs` after each answer (never two in flight).
 * `load` must be stable (module-level or memoised); changing it restarts polling.
 * The last good data stays on screen while an error is shown.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: null, error: null })

  useEffect(() => {
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const tick = async () => {
      try {
        const data = await load(controller.signal)
        setState({ data, error: null })
      } catch (error) {
        if (controller.signal.aborted) return
        setState((previous) => ({ data: previous.data, error: asApiError(error) }))
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void tick(), intervalMs)
    }
    void tick()
    return () => {
      controller.abort()
      clearTimeout(timer)
    }
  }, [load, intervalMs])

  return state
}
