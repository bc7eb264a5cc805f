import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { api } from '../api/client'
import { isTerminal, RUN_EVENT_TYPES } from '../api/types'
import { parseRunEvent } from './parseEvent'
import { applyRunEvent, initialRunStreamState, type RunStreamState } from './runState'

export type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed'

/**
 * Follows GET /api/runs/{id}/events. EventSource resends Last-Event-ID on
 * reconnect and the reducer drops any seq it has seen, so nothing repeats.
 * We close the stream ourselves on a terminal status: the server ends it
 * then, and EventSource would otherwise reconnect forever.
 */
export function useRunStream(runId: number) {
  const [state, dispatch] = useReducer(applyRunEvent, initialRunStreamState)
  const [connection, setConnection] = useState<Connection>('connecting')
  const sourceRef = useRef<EventSource | null>(null)

  /** Stops following the stream; also for callers that know the run is over. */
  const close = useCallback(() => {
    sourceRef.current?.close()
    setConnection('closed')
  }, [])

  useEffect(() => {
    const source = new EventSource(api.runEventsUrl(runId))
    sourceRef.current = source
    const finish = () => {
      source.close()
      setConnection('closed')
    }
    const onEvent = (message: MessageEvent<string>) => {
      const event = parseRunEvent(message.data)
      if (event === null) return
      dispatch(event)
      if (event.type === 'status' && isTerminal(event.status)) finish()
    }
    for (const type of RUN_EVENT_TYPES) source.addEventListener(type, onEvent)
    source.onopen = () => setConnection('open')
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) finish()
      else setConnection('reconnecting')
    }
    return () => source.close()
  }, [runId])

  return { state, connection, close } satisfies { state: RunStreamState; connection: Connection; close: () => void }
}
