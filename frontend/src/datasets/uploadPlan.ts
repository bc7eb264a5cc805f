// Pure parts of the resumable upload: chunk boundaries, retry back-off, where the
// server says to resume, and the throughput shown beside the progress bar.
import type { Problem } from '../api/types'

export const MIB = 1024 * 1024
/** 8 MiB: few enough requests for a multi-GB zip, little lost when one drops. */
export const DEFAULT_CHUNK_BYTES = 8 * MIB
const MIN_CHUNK_BYTES = 1024
const MAX_CHUNK_BYTES = 64 * MIB

/**
 * `?chunk=65536` on the page overrides the chunk size, so a browser test can
 * exercise many chunks with a small zip. Out-of-range or junk values fall back.
 */
export function chunkSizeFrom(search: string, fallback = DEFAULT_CHUNK_BYTES): number {
  const raw = new URLSearchParams(search).get('chunk')
  if (raw === null || !/^\d+$/.test(raw)) return fallback
  const value = Number(raw)
  return value >= MIN_CHUNK_BYTES && value <= MAX_CHUNK_BYTES ? value : fallback
}

export interface ByteRange {
  start: number
  end: number
}

/** The next chunk to send from `offset`, or null when the server holds the whole file. */
export function nextChunk(offset: number, size: number, chunkBytes: number): ByteRange | null {
  if (offset >= size) return null
  return { start: offset, end: Math.min(size, offset + chunkBytes) }
}

/** Exponential back-off: 0.5 s, 1 s, 2 s ... capped; `jitter` in [0, 1) spreads retries. */
export function backoffMs(attempt: number, jitter = 0, baseMs = 500, capMs = 15_000): number {
  const delay = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(delay * (1 + jitter * 0.25))
}

/**
 * Where a 409 tells us to continue: the `Upload-Offset` response header, else the
 * problem `{"loc": ["header", "Upload-Offset"], "message": "expected offset N"}`.
 * Null when the 409 is something else (e.g. another request is writing).
 */
export function serverOffset(header: string | null, problems: Problem[]): number | null {
  if (header !== null && /^\d+$/.test(header.trim())) return Number(header.trim())
  for (const problem of problems) {
    if (problem.loc.join('.') !== 'header.Upload-Offset') continue
    const match = /expected offset (\d+)/.exec(problem.message)
    if (match?.[1] !== undefined) return Number(match[1])
  }
  return null
}

/** Statuses worth retrying: the connection or a proxy failed, or the server is briefly busy. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 423 || status === 429 || status >= 500
}

export interface RateSample {
  at: number
  bytes: number
}

/** Bytes per second over the samples within `windowMs` of the newest one. */
export function bytesPerSecond(samples: RateSample[], windowMs = 5_000): number {
  const last = samples[samples.length - 1]
  if (last === undefined) return 0
  const first = samples.find((sample) => last.at - sample.at <= windowMs) ?? last
  const seconds = (last.at - first.at) / 1000
  return seconds > 0 ? (last.bytes - first.bytes) / seconds : 0
}

/** Sizes in MB, or kB below 1 MiB so small zips do not read "0.0 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < MIB) return `${Math.round(bytes / 1024)} kB`
  return `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MB`
}

export function formatProgress(sent: number, size: number, rate: number): string {
  const percent = size > 0 ? Math.floor((sent / size) * 100) : 100
  const speed = rate > 0 ? ` · ${(rate / MIB).toFixed(rate < MIB ? 2 : 1)} MB/s` : ''
  return `${percent}% · ${formatBytes(sent)} of ${formatBytes(size)}${speed}`
}
