// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunEvent, RunPublic } from '../api/types'
import { RunPage } from './RunPage'

// uPlot draws on canvas, which jsdom lacks; the page's own attributes are what we test.
vi.mock('uplot', () => ({
  default: class {
    setData() {}
    setSize() {}
    destroy() {}
  },
}))

class FakeEventSource {
  static CLOSED = 2
  static last: FakeEventSource | null = null
  readyState = 1
  closed = false
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  private listeners = new Map<string, ((message: MessageEvent<string>) => void)[]>()
  readonly url: string
  constructor(url: string) {
    this.url = url
    FakeEventSource.last = this
  }
  addEventListener(type: string, listener: (message: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  close() {
    this.closed = true
    this.readyState = FakeEventSource.CLOSED
  }
  emit(event: RunEvent) {
    const message = new MessageEvent('message', { data: JSON.stringify(event), lastEventId: String(event.seq) })
    for (const listener of this.listeners.get(event.type) ?? []) listener(message as MessageEvent<string>)
  }
}

const run: RunPublic = {
  id: 7,
  name: 'mnist-cnn',
  status: 'running',
  graph_version_id: 3,
  graph_name: 'cnn',
  graph_version: 2,
  dataset_id: 1,
  dataset_name: 'mnist',
  hyperparameters: {
    epochs: 3,
    batch_size: 32,
    optimizer: { type: 'adadelta', learning_rate: 1e-4, rho: 0.95, epsilon: 1e-8 },
    validation_fraction: 0.2,
    seed: 0,
  },
  created_at: '2025-01-01T00:00:00Z',
  started_at: '2025-01-01T00:00:01Z',
  finished_at: null,
  error_message: null,
  epochs_completed: 0,
  latest_metrics: {},
  num_params: 1234,
  has_model: false,
}

function epoch(seq: number, n: number): RunEvent {
  const metrics = { loss: 1 / n, accuracy: n / 4, val_loss: 1.1 / n, val_accuracy: n / 5 }
  return { type: 'epoch', seq, run_id: 7, at: '2025-01-01T00:00:02Z', epoch: n, epochs: 3, metrics }
}

function stream(): FakeEventSource {
  if (FakeEventSource.last === null) throw new Error('no EventSource opened')
  return FakeEventSource.last
}

beforeEach(() => {
  FakeEventSource.last = null
  vi.stubGlobal('EventSource', FakeEventSource)
  vi.stubGlobal('ResizeObserver', class { observe() {} disconnect() {} })
  let current = run
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => {
      const body = current
      current = { ...run, status: 'succeeded', has_model: true, epochs_completed: 3 }
      return new Response(JSON.stringify(body), { status: 200 })
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('RunPage', () => {
  it('plots each epoch as it arrives and closes the stream on a terminal status', async () => {
    render(<RunPage id={7} />)
    expect(await screen.findByTestId('run-status')).toHaveProperty('textContent', 'running')
    expect(stream().url).toBe('/api/runs/7/events')
    expect(screen.getByTestId('loss-chart').getAttribute('data-points')).toBe('0')

    act(() => stream().emit(epoch(1, 1)))
    act(() => stream().emit(epoch(2, 2)))
    act(() => stream().emit(epoch(2, 2))) // a replay after reconnect changes nothing
    expect(screen.getByTestId('loss-chart').getAttribute('data-points')).toBe('2')
    expect(screen.getByTestId('accuracy-chart').getAttribute('data-points')).toBe('2')
    expect(screen.getByTestId('epoch-table').querySelectorAll('tbody tr')).toHaveLength(2)

    act(() => stream().emit({ type: 'status', seq: 3, run_id: 7, at: 'x', status: 'succeeded', message: null }))
    expect(screen.getByTestId('run-status').textContent).toBe('succeeded')
    expect(stream().closed).toBe(true)
    const download = await screen.findByTestId('download-model')
    expect(download.getAttribute('href')).toBe('/api/runs/7/model')
  })

  it('keeps a finished run finished while its history replays', async () => {
    const finished = { ...run, status: 'succeeded' as const, has_model: true, epochs_completed: 3 }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(finished), { status: 200 })))
    render(<RunPage id={7} />)
    expect(await screen.findByTestId('run-status')).toHaveProperty('textContent', 'succeeded')
    // The replayed log starts with the run's old states; the page must not go back to them.
    act(() => stream().emit({ type: 'status', seq: 1, run_id: 7, at: 'x', status: 'running', message: null }))
    expect(screen.getByTestId('run-status').textContent).toBe('succeeded')
  })

  it('shows the API error message for an unknown run', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        const body = { error: { code: 'not_found', message: 'Run 99 does not exist', problems: [] } }
        return new Response(JSON.stringify(body), { status: 404 })
      }),
    )
    render(<RunPage id={99} />)
    expect((await screen.findByRole('alert')).textContent).toContain('Run 99 does not exist')
  })

  it('shows the phase, then batch progress with the ETA, marks the best epoch, and cancels once confirmed', async () => {
    const calls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        calls.push(`${init?.method ?? 'GET'} ${url}`)
        return new Response(JSON.stringify({ ...run, device: 'CPU (2 cores)' }), { status: url.endsWith('/cancel') ? 202 : 200 })
      }),
    )
    vi.stubGlobal('confirm', vi.fn(() => true))
    render(<RunPage id={7} />)
    await screen.findByTestId('run-status')
    act(() => stream().emit({ type: 'phase', seq: 1, run_id: 7, at: 'x', phase: 'compiling the model' }))
    expect(screen.getByTestId('run-phase').textContent).toBe('preparing: compiling the model…')
    act(() => stream().emit(epoch(2, 1)))
    act(() => stream().emit({ type: 'phase', seq: 3, run_id: 7, at: 'x', phase: 'training' }))
    act(() => stream().emit({ type: 'progress', seq: 3, run_id: 7, at: 'x', epoch: 2, epochs: 3, batch: 5, batches: 10, eta_seconds: 75 }))
    expect(screen.getByTestId('run-progress-text').textContent).toBe('epoch 2/3 · batch 5/10 · about 1 min 15 s left')
    expect(screen.getByTestId('best-epoch').textContent).toContain('lowest val_loss')
    expect(screen.getByTestId('loss-chart').getAttribute('data-best-epoch')).toBe('1')
    expect(screen.getByTestId('run-details').textContent).toContain('CPU (2 cores)')

    fireEvent.click(screen.getByTestId('cancel-run'))
    expect(await screen.findByText('Cancelling…')).toHaveProperty('disabled', true)
    expect(calls).toContain('POST /api/runs/7/cancel')
    act(() => stream().emit({ type: 'status', seq: 4, run_id: 7, at: 'x', status: 'cancelled', message: null }))
    expect(screen.getByTestId('run-status').textContent).toBe('cancelled')
    expect(screen.queryByTestId('cancel-run')).toBeNull()
  })

  it('does not cancel when the confirmation is declined', async () => {
    vi.stubGlobal('confirm', vi.fn(() => false))
    render(<RunPage id={7} />)
    await screen.findByTestId('run-status')
    fireEvent.click(screen.getByTestId('cancel-run'))
    expect(screen.getByTestId('cancel-run').textContent).toBe('Cancel run')
  })
})
