import { ApiError, toApiError } from '../api/client'
import { isEvaluation, type EvaluationItems, type RunEvaluation } from './evaluation'

async function getBody(path: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, signal })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, 'network', 'Cannot reach the dlstudio API server.')
  }
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) throw toApiError(response.status, response.statusText, body)
  return body
}

/** 404 (ApiError status 404) until the run's training has ended and written its evaluation. */
export async function fetchEvaluation(runId: number, signal?: AbortSignal): Promise<RunEvaluation> {
  const body = await getBody(`/api/runs/${runId}/evaluation`, signal)
  if (!isEvaluation(body)) throw new ApiError(0, 'client', 'The server sent something that is not an evaluation.')
  return body
}

export interface ItemsQuery {
  true?: string
  predicted?: string
  offset?: number
  limit?: number
}

export function predictionsUrl(runId: number, query: ItemsQuery): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const text = params.toString()
  return `/api/runs/${runId}/predictions${text ? `?${text}` : ''}`
}

export async function fetchPredictions(runId: number, query: ItemsQuery, signal?: AbortSignal): Promise<EvaluationItems> {
  return (await getBody(predictionsUrl(runId, query), signal)) as EvaluationItems
}
