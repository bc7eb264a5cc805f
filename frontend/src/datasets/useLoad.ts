import { useEffect, useState } from 'react'
import { ApiError } from '../api/client'

export interface Loaded<T> {
  data: T | null
  error: ApiError | null
}

/**
 * Loads once per `load` (memoise it; datasets are immutable, so no polling) and
 * aborts on unmount or a new `load`. Answers for an older `load` are not shown.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { for: unknown }>({ data: null, error: null, for: null })
  useEffect(() => {
    const controller = new AbortController()
    load(controller.signal).then(
      (data) => setState({ data, error: null, for: load }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        const message = error instanceof Error ? error.message : String(error)
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'client', message)
        setState({ data: null, error: apiError, for: load })
      },
    )
    return () => controller.abort()
  }, [load])
  return state.for === load ? { data: state.data, error: state.error } : { data: null, error: null }
}
