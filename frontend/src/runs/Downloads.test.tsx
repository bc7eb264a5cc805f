// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Downloads } from './Downloads'

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

const version = {
  id: 4,
  formats: [
    { format: 'keras', status: 'ready' },
    { format: 'savedmodel', status: 'not_built' },
    { format: 'onnx', status: 'failed', reason: 'ONNX export under the jax backend needs jax2onnx' },
  ],
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('Downloads', () => {
  it('links ready bundles, says why one is unavailable, and asks the worker to build one', async () => {
    const fetchMock = vi.fn((url: string) =>
      url.includes('/download') ? reply(202, { status: 'building' }) : reply(200, version),
    )
    vi.stubGlobal('fetch', fetchMock)
    render(<Downloads runId={4} status="succeeded" hasModel />)
    const keras = await screen.findByText('.keras (Keras 3, any backend)')
    expect(keras.getAttribute('href')).toBe('/api/models/4/download?format=keras')
    expect(screen.getByTestId('download-onnx').textContent).toContain('needs jax2onnx')
    fireEvent.click(screen.getByText('Prepare TensorFlow SavedModel'))
    await waitFor(() => expect(fetchMock).toHaveBeenCalledWith('/api/models/4/download?format=savedmodel', expect.anything()))
  })

  it('shows nothing for a run without a model', () => {
    vi.stubGlobal('fetch', vi.fn(() => reply(409, { error: { code: 'conflict', message: 'no model yet', problems: [] } })))
    const { container } = render(<Downloads runId={5} status="failed" hasModel={false} />)
    expect(container.textContent).toBe('')
  })
})
