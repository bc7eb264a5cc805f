// The upload area's state machine: idle -> uploading -> ingesting -> (navigate | rejected | failed).
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, api } from '../api/client'
import type { DatasetFromUpload, DatasetPublic } from '../api/types'
import { bytesPerSecond, type RateSample } from './uploadPlan'
import { type ResumeStore, uploadFile } from './uploader'

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; filename: string; sent: number; size: number; rate: number; retry: string | null }
  | { phase: 'ingesting'; filename: string; size: number }
  /** Ingest refused the zip; the upload is kept on the server so columns can be picked and retried. */
  | { phase: 'rejected'; filename: string; size: number; uploadId: string; error: ApiError }
  | { phase: 'failed'; filename: string; error: ApiError }

export interface IngestChoice {
  name: string
  pathColumn: string
  labelColumn: string
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(0, 'client', error instanceof Error ? error.message : String(error))
}

/** Per file (name, size, modification time) in localStorage; a no-op where storage is blocked. */
export function localResumeStore(file: File): ResumeStore {
  const key = `dlstudio.upload:${file.name}:${file.size}:${file.lastModified}`
  const guard = <T>(action: () => T, fallback: T): T => {
    try {
      return action()
    } catch {
      return fallback
    }
  }
  return {
    get: () => guard(() => window.localStorage.getItem(key), null),
    set: (id) => guard(() => window.localStorage.setItem(key, id), undefined),
    clear: () => guard(() => window.localStorage.removeItem(key), undefined),
  }
}

function ingestBody(uploadId: string, choice: IngestChoice): DatasetFromUpload {
  const body: DatasetFromUpload = { upload_id: uploadId }
  if (choice.name.trim()) body.name = choice.name.trim()
  if (choice.pathColumn.trim()) body.path_column = choice.pathColumn.trim()
  if (choice.labelColumn.trim()) body.label_column = choice.labelColumn.trim()
  return body
}

export function useUpload(chunkBytes: number, onStored: (dataset: DatasetPublic) => void) {
  const [state, setState] = useState<UploadState>({ phase: 'idle' })
  const controller = useRef<AbortController | null>(null)

  useEffect(() => () => controller.current?.abort(), [])

  // Closing the tab mid-upload would lose the chunk in flight and the user's wait: ask first.
  const busy = state.phase === 'uploading' || state.phase === 'ingesting'
  useEffect(() => {
    if (!busy) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [busy])

  const ingest = useCallback(
    async (filename: string, size: number, uploadId: string, choice: IngestChoice) => {
      setState({ phase: 'ingesting', filename, size })
      try {
        onStored(await api.datasetFromUpload(ingestBody(uploadId, choice)))
      } catch (error) {
        const apiError = asApiError(error)
        // 422: the zip's problems; the server kept the upload for another try.
        if (apiError.status === 422) setState({ phase: 'rejected', filename, size, uploadId, error: apiError })
        else setState({ phase: 'failed', filename, error: apiError })
      }
    },
    [onStored],
  )

  const start = useCallback(
    async (file: File, choice: IngestChoice) => {
      controller.current?.abort()
      const abort = new AbortController()
      controller.current = abort
      const samples: RateSample[] = []
      const base = { phase: 'uploading', filename: file.name, size: file.size } as const
      setState({ ...base, sent: 0, rate: 0, retry: null })
      try {
        const upload = await uploadFile(file, {
          chunkBytes,
          signal: abort.signal,
          resume: localResumeStore(file),
          onProgress: (sent) => {
            samples.push({ at: performance.now(), bytes: sent })
            setState({ ...base, sent, rate: bytesPerSecond(samples), retry: null })
          },
          onRetry: (attempt, delayMs, reason) =>
            setState((previous) =>
              previous.phase === 'uploading'
                ? { ...previous, retry: `${reason} Retrying in ${Math.ceil(delayMs / 1000)} s (attempt ${attempt})…` }
                : previous,
            ),
        })
        if (abort.signal.aborted) return
        await ingest(file.name, file.size, upload.id, choice)
      } catch (error) {
        if (abort.signal.aborted) return
        const apiError = asApiError(error)
        if (apiError.code === 'network') {
          apiError.message += ' What reached the server is kept: pick the same file again to resume.'
        }
        setState({ phase: 'failed', filename: file.name, error: apiError })
      }
    },
    [chunkBytes, ingest],
  )

  const cancel = useCallback(() => {
    controller.current?.abort()
    controller.current = null
    setState({ phase: 'idle' })
  }, [])

  const retryIngest = useCallback(
    (choice: IngestChoice) => {
      if (state.phase === 'rejected') void ingest(state.filename, state.size, state.uploadId, choice)
    },
    [state, ingest],
  )

  const discard = useCallback(() => {
    if (state.phase === 'rejected') void fetch(`/api/uploads/${state.uploadId}`, { method: 'DELETE' }).catch(() => undefined)
    setState({ phase: 'idle' })
  }, [state])

  return { state, start, cancel, retryIngest, discard }
}
