import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { uploadFile } from './uploader'

/**
 * An in-memory upload server speaking the same protocol as backend/uploads, with
 * hooks to drop connections and to land only part of a chunk.
 */
class FakeServer {
  held = new Uint8Array(0)
  size = 0
  log: string[] = []
  /** Called per PATCH; return 'drop' to fail the request, or a byte count to keep only that much. */
  onPatch: (n: number) => 'ok' | 'drop' | number = () => 'ok'
  private patches = 0

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const method = init.method ?? 'GET'
    const url = String(input)
    this.log.push(`${method} ${url}`)
    const state = () => Response.json({ id: 'u1', filename: 'a.zip', size: this.size, offset: this.held.length })
    if (method === 'POST') {
      this.size = (JSON.parse(String(init.body)) as { size: number }).size
      return Response.json({ id: 'u1', filename: 'a.zip', size: this.size, offset: 0 }, { status: 201 })
    }
    if (method === 'GET') return state()
    if (method === 'DELETE') return new Response(null, { status: 204 })
    const headers = new Headers(init.headers)
    const offset = Number(headers.get('Upload-Offset'))
    if (offset !== this.held.length) {
      const body = { error: { code: 'conflict', message: 'x', problems: [{ loc: ['header', 'Upload-Offset'], message: `expected offset ${this.held.length}` }] } }
      return Response.json(body, { status: 409, headers: { 'Upload-Offset': String(this.held.length) } })
    }
    const chunk = new Uint8Array(await (init.body as Blob).arrayBuffer())
    const fate = this.onPatch(this.patches++)
    if (fate === 'drop') throw new TypeError('Failed to fetch')
    const kept = typeof fate === 'number' ? chunk.slice(0, fate) : chunk
    const next = new Uint8Array(this.held.length + kept.length)
    next.set(this.held)
    next.set(kept, this.held.length)
    this.held = next
    if (typeof fate === 'number') throw new TypeError('connection reset mid-chunk')
    return state()
  }
}

function file(size: number) {
  const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251)
  return Object.assign(new Blob([bytes]), { name: 'a.zip' })
}

function options(server: FakeServer, extra: Partial<Parameters<typeof uploadFile>[1]> = {}) {
  const progress: number[] = []
  const retries: number[] = []
  return {
    progress,
    retries,
    opts: {
      chunkBytes: 4,
      signal: new AbortController().signal,
      onProgress: (sent: number) => progress.push(sent),
      onRetry: (_attempt: number, delay: number) => retries.push(delay),
      fetch: server.fetch as typeof fetch,
      sleep: async () => undefined,
      random: () => 0,
      ...extra,
    },
  }
}

describe('uploadFile', () => {
  it('sends the file in chunks at increasing offsets', async () => {
    const server = new FakeServer()
    const { opts, progress } = options(server)
    const done = await uploadFile(file(10), opts)
    expect(done.offset).toBe(10)
    expect(Array.from(server.held)).toEqual(Array.from({ length: 10 }, (_, i) => i))
    expect(progress).toEqual([0, 4, 8, 10])
    expect(server.log.filter((l) => l.startsWith('PATCH'))).toHaveLength(3)
  })

  it('after a dropped connection backs off, asks the offset and resumes from it', async () => {
    const server = new FakeServer()
    server.onPatch = (n) => (n === 1 ? 'drop' : n === 2 ? 'drop' : 'ok')
    const { opts, retries } = options(server)
    await uploadFile(file(10), opts)
    expect(Array.from(server.held)).toEqual(Array.from({ length: 10 }, (_, i) => i))
    expect(retries).toEqual([500, 1000])
    expect(server.log).toContain('GET /api/uploads/u1')
  })

  it('continues from where a half-landed chunk ended, not from its own offset', async () => {
    const server = new FakeServer()
    server.onPatch = (n) => (n === 1 ? 2 : 'ok') // the second chunk lands 2 of its 4 bytes
    const { opts } = options(server)
    await uploadFile(file(10), opts)
    expect(Array.from(server.held)).toEqual(Array.from({ length: 10 }, (_, i) => i))
  })

  it('follows a 409 to the server offset', async () => {
    const server = new FakeServer()
    server.held = Uint8Array.from([0, 1, 2, 3, 4, 5])
    const { opts, progress } = options(server)
    await uploadFile(file(10), opts)
    expect(progress).toEqual([0, 6, 10])
    expect(Array.from(server.held)).toEqual(Array.from({ length: 10 }, (_, i) => i))
  })

  it('gives up after maxAttempts and frees the partial upload', async () => {
    const server = new FakeServer()
    server.onPatch = () => 'drop'
    const { opts, retries } = options(server, { maxAttempts: 3 })
    await expect(uploadFile(file(10), opts)).rejects.toMatchObject({ code: 'network' })
    expect(retries).toHaveLength(3)
    expect(server.log.at(-1)).toBe('DELETE /api/uploads/u1')
  })

  it('with a resume store, keeps a stalled upload and continues it on the next try', async () => {
    const server = new FakeServer()
    let stored: string | null = null
    const resume = { get: () => stored, set: (id: string) => (stored = id), clear: () => (stored = null) }
    server.onPatch = (n) => (n === 0 ? 'ok' : 'drop')
    const first = options(server, { maxAttempts: 2, resume })
    await expect(uploadFile(file(10), first.opts)).rejects.toMatchObject({ code: 'network' })
    expect(stored).toBe('u1')
    expect(server.log).not.toContain('DELETE /api/uploads/u1')

    server.onPatch = () => 'ok'
    server.log = []
    const second = options(server, { resume })
    await uploadFile(file(10), second.opts)
    expect(server.log[0]).toBe('GET /api/uploads/u1')
    expect(server.log).not.toContain('POST /api/uploads')
    expect(second.progress).toEqual([4, 8, 10])
    expect(Array.from(server.held)).toEqual(Array.from({ length: 10 }, (_, i) => i))
    expect(stored).toBeNull()
  })

  it('starts over when the remembered upload is for another file', async () => {
    const server = new FakeServer()
    server.size = 99
    let stored: string | null = 'u1'
    const resume = { get: () => stored, set: (id: string) => (stored = id), clear: () => (stored = null) }
    const { opts } = options(server, { resume })
    await uploadFile(file(10), opts)
    expect(server.log.slice(0, 2)).toEqual(['GET /api/uploads/u1', 'POST /api/uploads'])
  })

  it('reports a refused upload (413) without sending chunks', async () => {
    const fetch413 = async () =>
      Response.json({ error: { code: 'too_large', message: 'the limit is 8 GB', problems: [] } }, { status: 413 })
    const { opts } = options(new FakeServer(), { fetch: fetch413 as typeof fetch })
    const error = await uploadFile(file(10), opts).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(413)
  })

  it('stops on cancel and deletes the upload', async () => {
    const server = new FakeServer()
    const controller = new AbortController()
    server.onPatch = (n) => {
      if (n === 1) controller.abort()
      return 'ok'
    }
    const { opts } = options(server, { signal: controller.signal })
    await expect(uploadFile(file(20), opts)).rejects.toMatchObject({ name: 'AbortError' })
    expect(server.log.at(-1)).toBe('DELETE /api/uploads/u1')
    expect(server.held.length).toBeLessThan(20)
  })
})
