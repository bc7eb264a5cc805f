import { useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/client'

export type RequestState<T> =
  | { status: 'idle' | 'loading' }
  | { status: 'done'; value: T }
  | { status: 'error'; error: ApiError }

/**
 * Calls `load` `delayMs` after `key` (a JSON string of its input) stops changing; a newer
 * key aborts the older request, so an answer never lands on inputs it was not asked about.
 * A null key means "nothing to ask" (idle).
 */
export function useDebouncedRequest<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  delayMs: number,
): RequestState<T> {
  const [state, setState] = useState<{ key: string | null; value: RequestState<T> }>({ key: null, value: { status: 'idle' } })
  // `load` is rebuilt each render from the inputs `key` encodes, so only `key` restarts the request;
  // the ref (updated before the request effect runs) gives it the current closure.
  const loadRef = useRef(load)
  useEffect(() => {
    loadRef.current = load
  })
  useEffect(() => {
    if (key === null) return
    const controller = new AbortController()
    const timer = setTimeout(() => {
      loadRef.current(controller.signal).then(
        (value) => setState({ key, value: { status: 'done', value } }),
        (reason: unknown) => {
          if (controller.signal.aborted) return
          const error = reason instanceof ApiError ? reason : new ApiError(0, 'client', String(reason))
          setState({ key, value: { status: 'error', error } })
        },
      )
    }, delayMs)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [key, delayMs])
  if (key === null) return { status: 'idle' }
  return state.key === key ? state.value : { status: 'loading' }
}
