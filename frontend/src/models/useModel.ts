import { useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../api/client'
import type { GraphPublic, GraphVersionPublic } from '../api/types'

export interface ModelState {
  graph: GraphPublic | null
  /** The version the editor starts from. */
  version: GraphVersionPublic | null
  error: ApiError | null
}

async function loadModel(id: number, versionId: number | null, signal: AbortSignal) {
  const graph = await api.graph(id, signal)
  if (versionId === null) return { graph, version: graph.latest_version }
  const version = await api.graphVersion(versionId, signal)
  // A version id from another model would open that model's content under this one's name.
  if (version.graph_id !== id) {
    throw new ApiError(404, 'not_found', `Version ${versionId} belongs to another model, not to ${graph.name}`)
  }
  return { graph, version }
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(0, 'client', error instanceof Error ? error.message : String(error))
}

/**
 * The model and the version to edit, for the route. `show` puts a version the page already
 * has (just saved or restored) on screen without a reload; what is shown stays while the
 * route's next answer loads, so the editor is not unmounted for the same version.
 */
export function useModel(id: number, versionId: number | null) {
  const [state, setState] = useState<ModelState>({ graph: null, version: null, error: null })
  useEffect(() => {
    const controller = new AbortController()
    loadModel(id, versionId, controller.signal).then(
      ({ graph, version }) => setState({ graph, version, error: null }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, error: asApiError(error) }))
      },
    )
    return () => controller.abort()
  }, [id, versionId])
  const show = useCallback((graph: GraphPublic, version: GraphVersionPublic) => {
    setState({ graph, version, error: null })
  }, [])
  return { ...state, show }
}
