import { useCallback, useEffect, useState } from 'react'
import { toApiError } from '../api/client'
import type { RunStatus } from '../api/types'

/** GET /api/models/{id}: the model version of a succeeded run (its id is the run id). */
type Format = 'keras' | 'savedmodel' | 'onnx'
interface ExportState {
  format: Format
  /** not_built: the first download request asks the worker to build it. */
  status: 'ready' | 'building' | 'not_built' | 'failed'
  reason?: string | null
}
interface ModelVersion {
  id: number
  formats: ExportState[]
}

const LABELS: Record<Format, string> = {
  keras: '.keras (Keras 3, any backend)',
  savedmodel: 'TensorFlow SavedModel',
  onnx: 'ONNX',
}
const POLL_MS = 2000

function downloadUrl(modelId: number, format: Format): string {
  return `/api/models/${modelId}/download?format=${format}`
}

async function fetchJson<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } })
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) throw toApiError(response.status, response.statusText, body)
  return { status: response.status, body: body as T }
}

function useModelVersion(modelId: number, enabled: boolean) {
  const [version, setVersion] = useState<ModelVersion | null>(null)
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(() => {
    if (!enabled) return
    fetchJson<ModelVersion>(`/api/models/${modelId}`).then(
      ({ body }) => {
        setVersion(body)
        setError(null)
      },
      (reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)),
    )
  }, [modelId, enabled])
  useEffect(reload, [reload])
  const building = formatsOf(version).some((f) => f.status === 'building')
  useEffect(() => {
    if (!building) return
    const timer = window.setInterval(reload, POLL_MS)
    return () => window.clearInterval(timer)
  }, [building, reload])
  return { version, error, reload }
}

function formatsOf(version: ModelVersion | null): ExportState[] {
  return Array.isArray(version?.formats) ? version.formats : []
}

/**
 * The Downloads menu of a succeeded run: each format is a zip bundle with labels, the input
 * preprocessing, the model card and predict.py. SavedModel and ONNX are built by the worker
 * on first request, so their entry says "preparing…" until the file is ready to download.
 */
export function Downloads({ runId, status, hasModel }: { runId: number; status: RunStatus; hasModel: boolean }) {
  const available = status === 'succeeded' && hasModel
  const { version, error, reload } = useModelVersion(runId, available)
  const [asked, setAsked] = useState<string | null>(null)
  if (!available) return null
  const prepare = async (format: Format) => {
    setAsked(null)
    try {
      // 202 while the worker builds it; the list then polls until it is ready.
      await fetchJson<unknown>(downloadUrl(runId, format))
    } catch (reason) {
      setAsked(reason instanceof Error ? reason.message : String(reason))
    }
    reload()
  }
  return (
    <details className="downloads" data-testid="downloads">
      <summary className="button secondary">Downloads</summary>
      <ul>
        {formatsOf(version).map((state) => (
          <li key={state.format} data-testid={`download-${state.format}`} data-status={state.status}>
            {state.status === 'ready' && (
              <a href={downloadUrl(runId, state.format)} download>
                {LABELS[state.format]}
              </a>
            )}
            {state.status === 'not_built' && (
              <button type="button" className="link-button" onClick={() => void prepare(state.format)}>
                Prepare {LABELS[state.format]}
              </button>
            )}
            {state.status === 'building' && <span className="muted">{LABELS[state.format]}: preparing…</span>}
            {state.status === 'failed' && (
              <span className="muted" title={state.reason ?? ''}>
                {LABELS[state.format]}: unavailable ({state.reason})
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className="muted">Each download is a zip: the model, labels.json, preprocessing.json, a model card and predict.py.</p>
      {(error ?? asked) !== null && (
        <p className="field-problem" role="alert">
          {error ?? asked}
        </p>
      )}
    </details>
  )
}
