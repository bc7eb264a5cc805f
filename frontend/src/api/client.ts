import type {
  ConversionCreate,
  ConversionPublic,
  ConversionsPublic,
  DatasetFromUpload,
  DatasetRelabel,
  DatasetGroups,
  DatasetItemsPublic,
  DatasetPublic,
  DatasetsPublic,
  ErrorBody,
  GraphDiff,
  GraphPublic,
  GraphsPublic,
  GraphTemplate,
  GraphVersionPublic,
  GraphVersionsPublic,
  Health,
  Problem,
  RunPublic,
  RunQueuePublic,
  RunsPublic,
} from './types'
import type { GraphAnalysis, GraphCreate, GraphSchemaPublic, GraphSpec, GraphVersionCreate } from './types'
import type { HyperparameterCheck, HyperparameterPreset, RunCreate, SplitPreview, SplitSpec } from './types'
import type { WeightsFilePublic, WeightsFilesPublic } from './types'
import type { PredictionsPublic } from './types'
import type { ComparePublic, McNemarPublic, PaperExperimentCreate, PaperExperimentPublic, PaperExperimentSummary } from './types'

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

async function request(path: string, signal?: AbortSignal, init: RequestInit = {}): Promise<RawResponse> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers }, signal })
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

async function sendJson<T>(method: string, path: string, payload: unknown, signal?: AbortSignal): Promise<T> {
  const init = { method, body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json' } }
  const { ok, status, statusText, body } = await request(path, signal, init)
  if (!ok) throw toApiError(status, statusText, body)
  return body as T
}

function isHealth(body: unknown): body is Health {
  return typeof body === 'object' && body !== null && 'components' in body
}

export const api = {
  runs: (signal?: AbortSignal) => getJson<RunsPublic>('/api/runs', signal),
  runQueue: (signal?: AbortSignal) => getJson<RunQueuePublic>('/api/runs/queue', signal),
  run: (id: number, signal?: AbortSignal) => getJson<RunPublic>(`/api/runs/${id}`, signal),
  datasets: (signal?: AbortSignal) => getJson<DatasetsPublic>('/api/datasets', signal),
  dataset: (id: number, signal?: AbortSignal) => getJson<DatasetPublic>(`/api/datasets/${id}`, signal),
  datasetGroups: (id: number, signal?: AbortSignal) => getJson<DatasetGroups>(`/api/datasets/${id}/groups`, signal),
  datasetItems: (id: number, query: { label: string; offset: number; limit: number }, signal?: AbortSignal) => {
    const params = new URLSearchParams({ label: query.label, offset: String(query.offset), limit: String(query.limit) })
    return getJson<DatasetItemsPublic>(`/api/datasets/${id}/items?${params}`, signal)
  },
  /** 201 for a new dataset, 200 with the stored one when the same zip came before; 422 lists every problem. */
  datasetFromUpload: (body: DatasetFromUpload, signal?: AbortSignal) =>
    sendJson<DatasetPublic>('POST', '/api/datasets/from-upload', body, signal),
  /** 201 for a new version, 200 with the stored one for a mapping made before; 422 locates problems at body.mapping.<class>. */
  relabel: (id: number, body: DatasetRelabel, signal?: AbortSignal) =>
    sendJson<DatasetPublic>('POST', `/api/datasets/${id}/relabel`, body, signal),
  /** 201 with the queued conversion; 422 locates recipe problems at recipe.<field>. */
  startConversion: (id: number, body: ConversionCreate, signal?: AbortSignal) =>
    sendJson<ConversionPublic>('POST', `/api/datasets/${id}/spectrograms`, body, signal),
  conversion: (id: number, signal?: AbortSignal) => getJson<ConversionPublic>(`/api/conversions/${id}`, signal),
  conversions: (signal?: AbortSignal) => getJson<ConversionsPublic>('/api/conversions', signal),
  thumbnailUrl: (id: number, itemId: number) => `/api/datasets/${id}/items/${itemId}/thumbnail`,
  imageUrl: (id: number, itemId: number) => `/api/datasets/${id}/items/${itemId}/image`,
  graphs: (signal?: AbortSignal) => getJson<GraphsPublic>('/api/graphs', signal),
  graph: (id: number, signal?: AbortSignal) => getJson<GraphPublic>(`/api/graphs/${id}`, signal),
  graphVersion: (versionId: number, signal?: AbortSignal) =>
    getJson<GraphVersionPublic>(`/api/graph-versions/${versionId}`, signal),
  graphVersions: (id: number, signal?: AbortSignal) =>
    getJson<GraphVersionsPublic>(`/api/graphs/${id}/versions`, signal),
  graphDiff: (id: number, fromVersionId: number, toVersionId: number, signal?: AbortSignal) =>
    getJson<GraphDiff>(`/api/graphs/${id}/diff?from=${fromVersionId}&to=${toVersionId}`, signal),
  graphTemplates: (classes: number, signal?: AbortSignal) =>
    getJson<GraphTemplate[]>(`/api/graph-templates?classes=${classes}`, signal),
  /** 201 with the new newest version, a copy of the old one's content. */
  restoreGraph: (id: number, versionId: number) =>
    sendJson<GraphVersionPublic>('POST', `/api/graphs/${id}/restore`, { version_id: versionId }),
  forkGraph: (id: number, versionId: number, name: string) =>
    sendJson<GraphPublic>('POST', `/api/graphs/${id}/fork`, { version_id: versionId, name }),
  /** 201 with the new graph; 422 lists what in the file could not be read as a graph. */
  importGraph: async (file: File, name: string, signal?: AbortSignal): Promise<GraphPublic> => {
    const form = new FormData()
    form.append('file', file)
    form.append('name', name)
    const { ok, status, statusText, body } = await request('/api/graphs/import', signal, { method: 'POST', body: form })
    if (!ok) throw toApiError(status, statusText, body)
    return body as GraphPublic
  },
  graphCodeUrl: (versionId: number) => `/api/graph-versions/${versionId}/code`,
  /** The Keras script for a version, as text (the endpoint answers text/x-python, errors in JSON). */
  graphCode: async (versionId: number, signal?: AbortSignal): Promise<string> => {
    let response: Response
    try {
      response = await fetch(`/api/graph-versions/${versionId}/code`, { signal })
    } catch (error) {
      if (signal?.aborted) throw error
      throw new ApiError(0, 'network', 'Cannot reach the dlstudio API server.')
    }
    if (response.ok) return response.text()
    const body: unknown = await response.json().catch(() => null)
    throw toApiError(response.status, response.statusText, body)
  },
  runEventsUrl: (id: number) => `/api/runs/${id}/events`,
  modelUrl: (id: number) => `/api/runs/${id}/model`,
  /** A degraded system answers 503 with the same body, which is still a report to show. */
  health: async (signal?: AbortSignal): Promise<Health> => {
    const { status, statusText, body } = await request('/api/health', signal)
    if (isHealth(body)) return body
    throw toApiError(status, statusText, body)
  },
}

/** The model canvas: node types and palette, live analysis, and saving graphs and versions. */
export const canvasApi = {
  graphSchema: (signal?: AbortSignal) => getJson<GraphSchemaPublic>('/api/graph-schema', signal),
  /** Always 200 for any graph object: problems, shapes and parameter counts of what can be computed. */
  analyze: (graph: GraphSpec, signal?: AbortSignal) =>
    sendJson<GraphAnalysis>('POST', '/api/graphs/analyze', { graph }, signal),
  /** 201; 422 locates problems at graph.nodes.<node id>. */
  createGraph: (body: GraphCreate, signal?: AbortSignal) => sendJson<GraphPublic>('POST', '/api/graphs', body, signal),
  createVersion: (graphId: number, body: GraphVersionCreate, signal?: AbortSignal) =>
    sendJson<GraphVersionPublic>('POST', `/api/graphs/${graphId}/versions`, body, signal),
}

/** 201 or 200 from POST /api/weights: `created` is false when the project had these bytes already. */
export interface WeightsUpload {
  file: WeightsFilePublic
  created: boolean
}

/**
 * A multipart POST through XMLHttpRequest, the one browser API that reports upload progress
 * (weights files run to hundreds of MB); `onProgress` gets bytes sent and the total.
 */
function postForm(path: string, form: FormData, onProgress: (sent: number, total: number) => void, signal?: AbortSignal) {
  return new Promise<RawResponse>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded, event.total)
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // A proxy error page: toApiError reports the HTTP status instead.
      }
      resolve({ status: xhr.status, statusText: xhr.statusText, ok: xhr.status >= 200 && xhr.status < 300, body })
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the dlstudio API server.'))
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(form)
  })
}

/** Backbone weights files: list and upload (backend/weights). */
export const weightsApi = {
  list: (signal?: AbortSignal) => getJson<WeightsFilesPublic>('/api/weights', signal),
  /** 422 locates problems at body.file (name or content) and body.architecture. */
  upload: async (
    file: File,
    architecture: string | null,
    onProgress: (sent: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<WeightsUpload> => {
    const form = new FormData()
    form.append('file', file)
    if (architecture) form.append('architecture', architecture)
    const { ok, status, statusText, body } = await postForm('/api/weights', form, onProgress, signal)
    if (!ok) throw toApiError(status, statusText, body)
    return { file: body as WeightsFilePublic, created: status === 201 }
  },
}

/** The training page and run control: presets, live checks, split preview, starting and cancelling runs. */
export const trainingApi = {
  presets: (signal?: AbortSignal) => getJson<HyperparameterPreset[]>('/api/hyperparameter-presets', signal),
  /** The OpenAPI document: the hyperparameter form is generated from its Hyperparameters schema. */
  openapi: (signal?: AbortSignal) => getJson<Record<string, unknown>>('/openapi.json', signal),
  /** Always 200 for a JSON object: problems (located like run creation's 422) and warnings with fixes. */
  check: (body: { hyperparameters: unknown; dataset_id?: number }, signal?: AbortSignal) =>
    sendJson<HyperparameterCheck>('POST', '/api/hyperparameters/check', body, signal),
  /** 404 on servers without splits: the page then hides the preview. */
  splitPreview: (body: { dataset_id: number; split: SplitSpec }, signal?: AbortSignal) =>
    sendJson<SplitPreview>('POST', '/api/splits/preview', body, signal),
  /** 201 with the queued run; 422 locates problems at body.<field>. */
  createRun: (body: RunCreate, signal?: AbortSignal) => sendJson<RunPublic>('POST', '/api/runs', body, signal),
  /** 202 once asked; 409 when the run already finished. */
  cancelRun: (id: number, signal?: AbortSignal) => sendJson<unknown>('POST', `/api/runs/${id}/cancel`, {}, signal),
  /** Replaces the run's tags; 422 locates a bad tag at body.tags.<index>. */
  setRunTags: (id: number, tags: readonly string[], signal?: AbortSignal) =>
    sendJson<RunPublic>('PATCH', `/api/runs/${id}/tags`, { tags }, signal),
}

/** Replaces a run's tags (annotations: any run may be retagged); resolves to the updated run. */
export function setRunTags(id: number, tags: readonly string[], signal?: AbortSignal): Promise<RunPublic> {
  return trainingApi.setRunTags(id, tags, signal)
}

/** Comparing runs and the paper experiment (issue #6). */
export const compareApi = {
  compare: (ids: readonly number[], signal?: AbortSignal) =>
    getJson<ComparePublic>(`/api/runs/compare?ids=${ids.join(',')}`, signal),
  mcnemar: (a: number, b: number, signal?: AbortSignal) => getJson<McNemarPublic>(`/api/runs/mcnemar?a=${a}&b=${b}`, signal),
  createPaper: (body: PaperExperimentCreate, signal?: AbortSignal) =>
    sendJson<PaperExperimentPublic>('POST', '/api/experiments/paper', body, signal),
  paper: (id: number, signal?: AbortSignal) => getJson<PaperExperimentPublic>(`/api/experiments/${id}/comparison`, signal),
  papers: (signal?: AbortSignal) => getJson<PaperExperimentSummary[]>('/api/experiments/paper', signal),
}

/** Predictions with a model version (a succeeded run): POST /api/models/{id}/predict. */
export const predictApi = {
  /** 404 unknown model, 409 no model, 422 a file it cannot predict (problems name it), 503 no predict worker. */
  predict: async (modelId: number, file: File, options: { saliency?: boolean } = {}, signal?: AbortSignal) => {
    const form = new FormData()
    form.append('file', file)
    const query = options.saliency ? '?saliency=true' : ''
    const { ok, status, statusText, body } = await request(`/api/models/${modelId}/predict${query}`, signal, {
      method: 'POST',
      body: form,
    })
    if (!ok) throw toApiError(status, statusText, body)
    return body as PredictionsPublic
  },
  /** The same predictions as CSV (one row per file), for a download. */
  csv: async (modelId: number, file: File, signal?: AbortSignal): Promise<Blob> => {
    const form = new FormData()
    form.append('file', file)
    let response: Response
    try {
      response = await fetch(`/api/models/${modelId}/predict?format=csv`, { method: 'POST', body: form, signal })
    } catch (error) {
      if (signal?.aborted) throw error
      throw new ApiError(0, 'network', 'Cannot reach the dlstudio API server.')
    }
    if (!response.ok) throw toApiError(response.status, response.statusText, await response.json().catch(() => null))
    return response.blob()
  },
}
