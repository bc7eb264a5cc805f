import type { DatasetsPublic, ErrorBody, GraphsPublic, Health, Problem, RunPublic, RunsPublic } from './types'

/** Every failure the UI shows: the API's error body, or one made up for network and proxy failures. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly problems: Problem[]

  constructor(status: number, code: string, message: string, problems: Problem[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.problems = problems
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false
  const error = (body as { error: unknown }).error
  return typeof error === 'object' && error !== null && 'message' in error
}

export function toApiError(status: number, statusText: string, body: unknown): ApiError {
  if (isErrorBody(body)) {
    const { code, message, problems } = body.error
    return new ApiError(status, code, message, Array.isArray(problems) ? problems : [])
  }
  return new ApiError(status, 'http_error', `The server answered ${status} ${statusText}`.trim())
}

interface RawResponse {
  status: number
  statusText: string
  ok: boolean
  body: unknown
}

async function request(path: string, signal?: AbortSignal): Promise<RawResponse> {
  let response: Response
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, signal })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, 'network', 'Cannot reach the dlstudio API server.')
  }
  // A proxy error page is not JSON; toApiError then reports the HTTP status instead.
  const body: unknown = await response.json().catch(() => null)
  return { status: response.status, statusText: response.statusText, ok: response.ok, body }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const { ok, status, statusText, body } = await request(path, signal)
  if (!ok) throw toApiError(status, statusText, body)
  return body as T
}

function isHealth(body: unknown): body is Health {
  return typeof body === 'object' && body !== null && 'components' in body
}

export const api = {
  runs: (signal?: AbortSignal) => getJson<RunsPublic>('/api/runs', signal),
  run: (id: number, signal?: AbortSignal) => getJson<RunPublic>(`/api/runs/${id}`, signal),
  datasets: (signal?: AbortSignal) => getJson<DatasetsPublic>('/api/datasets', signal),
  graphs: (signal?: AbortSignal) => getJson<GraphsPublic>('/api/graphs', signal),
  runEventsUrl: (id: number) => `/api/runs/${id}/events`,
  modelUrl: (id: number) => `/api/runs/${id}/model`,
  /** A degraded system answers 503 with the same body, which is still a report to show. */
  health: async (signal?: AbortSignal): Promise<Health> => {
    const { status, statusText, body } = await request('/api/health', signal)
    if (isHealth(body)) return body
    throw toApiError(status, statusText, body)
  },
}
