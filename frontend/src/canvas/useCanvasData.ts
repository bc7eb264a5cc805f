// What the editor loads and asks while the user edits: the layer catalogue (once per
// page) and a debounced live analysis of the draft where the latest request wins.
import { useEffect, useMemo, useState } from 'react'
import { ApiError, canvasApi } from '../api/client'
import type { GraphAnalysis, GraphSchemaPublic, GraphSpec } from '../api/types'
import { type GraphDoc, toSpec } from './model'

export const ANALYZE_DELAY_MS = 250

let schemaRequest: Promise<GraphSchemaPublic> | null = null

function loadSchema(): Promise<GraphSchemaPublic> {
  // The catalogue never changes while the server runs; a failure is retried next mount.
  schemaRequest ??= canvasApi.graphSchema().catch((error: unknown) => {
    schemaRequest = null
    throw error
  })
  return schemaRequest
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function useGraphSchema(): { schema: GraphSchemaPublic | null; error: string | null } {
  const [state, setState] = useState<{ schema: GraphSchemaPublic | null; error: string | null }>({
    schema: null,
    error: null,
  })
  useEffect(() => {
    let live = true
    loadSchema().then(
      (schema) => live && setState({ schema, error: null }),
      (error: unknown) => live && setState({ schema: null, error: messageOf(error) }),
    )
    return () => {
      live = false
    }
  }, [])
  return state
}

/** Positions do not change an analysis, so the key leaves them out and moving a node does not ask again. */
const analysisKey = (doc: GraphDoc) =>
  JSON.stringify(toSpec({ ...doc, nodes: doc.nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } })) }))

export interface AnalysisState {
  analysis: GraphAnalysis | null
  error: string | null
  /** True from an edit until the answer for it arrives (nodes may still grow or shrink). */
  pending: boolean
}

export function useAnalysis(doc: GraphDoc): AnalysisState {
  const key = useMemo(() => analysisKey(doc), [doc])
  const [state, setState] = useState<Omit<AnalysisState, 'pending'> & { key: string | null }>({
    analysis: null,
    error: null,
    key: null,
  })
  useEffect(() => {
    const controller = new AbortController()
    const timer = window.setTimeout(() => {
      canvasApi.analyze(JSON.parse(key) as GraphSpec, controller.signal).then(
        (analysis) => setState({ analysis, error: null, key }),
        (error: unknown) => {
          if (controller.signal.aborted) return
          const message = error instanceof ApiError ? error.message : messageOf(error)
          setState((previous) => ({ ...previous, error: `Live checks are unavailable: ${message}`, key }))
        },
      )
    }, ANALYZE_DELAY_MS)
    // A newer draft cancels both the pending timer and a request already in flight.
    return () => {
      window.clearTimeout(timer)
      controller.abort()
    }
  }, [key])
  return { analysis: state.analysis, error: state.error, pending: state.key !== key }
}
