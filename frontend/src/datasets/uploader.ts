// The resumable upload loop (tus-like): declare the file, PATCH chunks at the
// server's offset, and on a dropped connection back off, ask where the server
// is and continue from there. fetch and sleep are injectable for the tests.
import { ApiError, toApiError } from '../api/client'
import type { UploadPublic } from '../api/types'
import { backoffMs, isTransient, nextChunk, serverOffset } from './uploadPlan'

export const CHUNK_CONTENT_TYPE = 'application/offset+octet-stream'

export interface UploadOptions {
  chunkBytes: number
  signal: AbortSignal
  onProgress: (sent: number, size: number) => void
  /** Called before each wait; `attempt` counts consecutive failures. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void
  maxAttempts?: number
  fetch?: typeof fetch
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  random?: () => number
  resume?: ResumeStore
}

export interface UploadSource {
  name: string
  size: number
  slice(start: number, end: number): Blob
}

function abortError(): DOMException {
  return new DOMException('The upload was cancelled', 'AbortError')
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

interface Answer {
  status: number
  statusText: string
  headers: Headers | null
  body: unknown
}

class Transport {
  private readonly fetchFn: typeof fetch
  private readonly signal: AbortSignal

  constructor(options: UploadOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init))
    this.signal = options.signal
  }

  /** Never throws for HTTP or network failures (status 0); only for an abort. */
  async call(path: string, init: RequestInit): Promise<Answer> {
    try {
      const response = await this.fetchFn(path, { ...init, signal: this.signal })
      const body: unknown = response.status === 204 ? null : await response.json().catch(() => null)
      return { status: response.status, statusText: response.statusText, headers: response.headers, body }
    } catch (error) {
      if (this.signal.aborted) throw abortError()
      return { status: 0, statusText: String(error), headers: null, body: null }
    }
  }
}

const ok = (answer: Answer) => answer.status >= 200 && answer.status < 300

function failure(answer: Answer): ApiError {
  if (answer.status === 0) return new ApiError(0, 'network', 'Lost the connection to the dlstudio server.')
  return toApiError(answer.status, answer.statusText, answer.body)
}

/**
 * Remembers the server's upload id for a file across page loads, so picking the
 * same file again after a reload or a lost network resumes instead of restarting.
 */
export interface ResumeStore {
  get(): string | null
  set(id: string): void
  clear(): void
}

async function resumable(file: UploadSource, transport: Transport, store: ResumeStore | undefined) {
  const id = store?.get()
  if (id === null || id === undefined) return null
  const answer = await transport.call(`/api/uploads/${id}`, { method: 'GET', headers: { Accept: 'application/json' } })
  const upload = answer.body as UploadPublic | null
  // Gone (expired, finished, cancelled elsewhere) or a different file under the same key: start over.
  if (!ok(answer) || upload === null || upload.size !== file.size || upload.filename !== file.name) {
    store?.clear()
    return null
  }
  return upload
}

/** Sends the whole file; resolves with the finished upload, ready for POST /api/datasets/from-upload. */
export async function uploadFile(file: UploadSource, options: UploadOptions): Promise<UploadPublic> {
  const transport = new Transport(options)
  let upload = await resumable(file, transport, options.resume)
  if (upload === null) {
    const created = await transport.call('/api/uploads', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ filename: file.name, size: file.size }),
    })
    if (!ok(created)) throw failure(created)
    upload = created.body as UploadPublic
    options.resume?.set(upload.id)
  }
  try {
    const done = await sendChunks(file, upload, transport, options)
    options.resume?.clear()
    return done
  } catch (error) {
    // Still offline after every retry: keep what the server holds, to resume from later.
    if (error instanceof ApiError && isTransient(error.status) && options.resume !== undefined) throw error
    // Cancelled or refused: free the server's partial file. Best effort; nobody waits for it.
    options.resume?.clear()
    void (options.fetch ?? fetch)(`/api/uploads/${upload.id}`, { method: 'DELETE' }).catch(() => undefined)
    throw error
  }
}

async function sendChunks(
  file: UploadSource,
  upload: UploadPublic,
  transport: Transport,
  options: UploadOptions,
): Promise<UploadPublic> {
  const path = `/api/uploads/${upload.id}`
  const maxAttempts = options.maxAttempts ?? 8
  const wait = options.sleep ?? sleep
  let offset = upload.offset
  let attempt = 0
  options.onProgress(offset, file.size)
  for (let range = nextChunk(offset, file.size, options.chunkBytes); range !== null; ) {
    if (options.signal.aborted) throw abortError()
    const answer = await transport.call(path, {
      method: 'PATCH',
      headers: { 'Upload-Offset': String(range.start), 'Content-Type': CHUNK_CONTENT_TYPE, Accept: 'application/json' },
      body: file.slice(range.start, range.end),
    })
    const resumeAt = answer.status === 409 ? serverOffset(answer.headers?.get('Upload-Offset') ?? null, failure(answer).problems) : null
    if (ok(answer)) {
      offset = (answer.body as UploadPublic).offset
      attempt = 0
    } else if (resumeAt !== null && resumeAt !== offset) {
      offset = resumeAt // e.g. half a chunk landed before the connection dropped
    } else if (isTransient(answer.status) || answer.status === 409) {
      attempt += 1
      if (attempt > maxAttempts) throw failure(answer)
      const delay = backoffMs(attempt, (options.random ?? Math.random)())
      options.onRetry?.(attempt, delay, failure(answer).message)
      await wait(delay, options.signal)
      const state = await transport.call(path, { method: 'GET', headers: { Accept: 'application/json' } })
      if (ok(state)) offset = (state.body as UploadPublic).offset
      else if (!isTransient(state.status)) throw failure(state)
    } else {
      throw failure(answer)
    }
    options.onProgress(offset, file.size)
    range = nextChunk(offset, file.size, options.chunkBytes)
  }
  return { ...upload, offset }
}
