import { describe, expect, it } from 'vitest'
import {
  DEFAULT_CHUNK_BYTES,
  backoffMs,
  bytesPerSecond,
  chunkSizeFrom,
  formatProgress,
  isTransient,
  nextChunk,
  serverOffset,
} from './uploadPlan'

describe('chunkSizeFrom', () => {
  it('takes ?chunk= within bounds and falls back otherwise', () => {
    expect(chunkSizeFrom('?chunk=65536')).toBe(65536)
    expect(chunkSizeFrom('')).toBe(DEFAULT_CHUNK_BYTES)
    expect(chunkSizeFrom('?chunk=abc')).toBe(DEFAULT_CHUNK_BYTES)
    expect(chunkSizeFrom('?chunk=10')).toBe(DEFAULT_CHUNK_BYTES)
    expect(chunkSizeFrom('?chunk=-5')).toBe(DEFAULT_CHUNK_BYTES)
    expect(chunkSizeFrom('?chunk=999999999999')).toBe(DEFAULT_CHUNK_BYTES)
  })
})

describe('nextChunk', () => {
  it('walks the file in chunk-sized ranges, the last one short', () => {
    const ranges = []
    for (let r = nextChunk(0, 10, 4); r !== null; r = nextChunk(r.end, 10, 4)) ranges.push(r)
    expect(ranges).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 8 },
      { start: 8, end: 10 },
    ])
  })

  it('resumes from any offset the server reports, even mid-chunk', () => {
    expect(nextChunk(5, 10, 4)).toEqual({ start: 5, end: 9 })
    expect(nextChunk(10, 10, 4)).toBeNull()
    expect(nextChunk(12, 10, 4)).toBeNull()
  })
})

describe('backoffMs', () => {
  it('doubles from 0.5 s up to a cap, with at most 25% jitter', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a))).toEqual([500, 1000, 2000, 4000])
    expect(backoffMs(20)).toBe(15_000)
    expect(backoffMs(1, 0.999)).toBeLessThanOrEqual(625)
  })
})

describe('serverOffset', () => {
  it('prefers the Upload-Offset header', () => {
    expect(serverOffset('4096', [])).toBe(4096)
  })

  it('reads the problem when the header is missing', () => {
    const problems = [{ loc: ['header', 'Upload-Offset'], message: 'expected offset 123' }]
    expect(serverOffset(null, problems)).toBe(123)
  })

  it('is null for a conflict that names no offset', () => {
    expect(serverOffset(null, [])).toBeNull()
    expect(serverOffset('junk', [{ loc: ['body'], message: 'expected offset 5' }])).toBeNull()
  })
})

describe('isTransient', () => {
  it('retries dropped connections and server trouble, not client errors', () => {
    expect([0, 408, 429, 500, 502, 503].every(isTransient)).toBe(true)
    expect([400, 404, 413, 422].some(isTransient)).toBe(false)
  })
})

describe('rate and progress text', () => {
  it('measures over the recent window', () => {
    const samples = [
      { at: 0, bytes: 0 },
      { at: 10_000, bytes: 1_000 },
      { at: 12_000, bytes: 3_000 },
    ]
    expect(bytesPerSecond(samples)).toBe(1000)
    expect(bytesPerSecond([])).toBe(0)
  })

  it('shows percentage, megabytes and speed', () => {
    const mib = 1024 * 1024
    expect(formatProgress(3 * mib, 12 * mib, 2 * mib)).toBe('25% · 3.0 MB of 12 MB · 2.0 MB/s')
    expect(formatProgress(10_240, 20_480, 51_200)).toBe('50% · 10 kB of 20 kB · 0.05 MB/s')
    expect(formatProgress(0, 0, 0)).toBe('100% · 0 kB of 0 kB')
  })
})
