// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RunPublic, RunQueuePublic } from '../api/types'
import { QueuePanel } from './QueuePanel'

function run(id: number, name: string, extra: Partial<RunPublic> = {}): RunPublic {
  return {
    id,
    name,
    status: 'queued',
    graph_version_id: 1,
    graph_name: 'cnn',
    graph_version: 1,
    dataset_id: 1,
    dataset_name: 'emodb',
    hyperparameters: { epochs: 3, batch_size: 32, optimizer: { type: 'adam', learning_rate: 1e-3 }, validation_fraction: 0.2, seed: 0 },
    created_at: '2026-01-01T00:00:00Z',
    started_at: null,
    finished_at: null,
    error_message: null,
    epochs_completed: 0,
    latest_metrics: {},
    num_params: null,
    has_model: false,
    ...extra,
  }
}

function answer(body: unknown) {
  return vi.fn(async (_url: string) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }))
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('QueuePanel', () => {
  it('lists the run training now with its device, then the waiting ones in start order', async () => {
    const queue: RunQueuePublic = {
      running: [run(3, 'resnet', { status: 'running', device: 'CPU, 2 cores (tensorflow)' })],
      queued: [
        { position: 1, run: run(4, 'squeezenet') },
        { position: 2, run: run(5, 'inception') },
      ],
      queued_total: 3,
    }
    const fetchMock = answer(queue)
    vi.stubGlobal('fetch', fetchMock)
    render(<QueuePanel />)
    await waitFor(() => expect(screen.getByTestId('run-queue')).toBeTruthy())
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/runs/queue')
    expect(screen.getByTestId('queue-running').textContent).toContain('CPU, 2 cores (tensorflow)')
    const waiting = screen.getAllByTestId('queue-waiting')
    expect(waiting.map((li) => li.getAttribute('data-position'))).toEqual(['1', '2'])
    expect(waiting[0]?.textContent).toContain('squeezenet')
    expect(screen.getByText('1 more waiting in other projects.')).toBeTruthy()
  })

  it('shows nothing when no run is waiting or training', async () => {
    const fetchMock = answer({ running: [], queued: [], queued_total: 0 })
    vi.stubGlobal('fetch', fetchMock)
    const { container } = render(<QueuePanel />)
    await waitFor(() => expect(fetchMock).toHaveBeenCalled())
    expect(container.innerHTML).toBe('')
  })
})
