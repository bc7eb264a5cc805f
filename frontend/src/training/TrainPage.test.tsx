// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import doc from './openapi.fixture.json'
import { TrainPage } from './TrainPage'

const version = { id: 11, graph_id: 2, version: 1, schema_version: 1, content_hash: '', spec: {}, parent_id: null, message: 'first', created_at: '' }
const latest = { ...version, id: 12, version: 2, parent_id: 11, message: 'wider' }
const graph = { id: 2, name: 'paper', latest_version: latest, created_at: '' }
const dataset = { id: 5, name: 'emotion', num_items: 30, classes: ['a', 'b', 'c'], class_counts: { a: 10, b: 10, c: 10 }, created_at: '' }
const paper = {
  key: 'paper',
  name: 'The paper (Adadelta 1e-4)',
  description: 'Expect the loss to stay nearly flat.',
  hyperparameters: { epochs: 10, batch_size: 32, optimizer: { type: 'adadelta', learning_rate: 0.0001, rho: 0.95, epsilon: 1e-8 } },
}
const adadeltaWarning = {
  code: 'adadelta_low_learning_rate',
  message: 'Adadelta is designed for learning rate 1.0',
  fix: { 'optimizer.learning_rate': 1.0 },
}

type Body = Record<string, unknown>
let created: Body | null
let runAnswer: { status: number; body: unknown }

function answer(url: string, init?: RequestInit): { status: number; body: unknown } {
  const body = init?.body ? (JSON.parse(String(init.body)) as Body) : null
  if (url === '/api/graphs') return { status: 200, body: { data: [graph], count: 1 } }
  if (url === '/api/datasets') return { status: 200, body: { data: [dataset], count: 1 } }
  if (url === '/api/hyperparameter-presets') return { status: 200, body: [paper] }
  // A server without splits: the page hides the preview and sends no split.
  if (url === '/openapi.json') return { status: 200, body: { ...doc, paths: {} } }
  if (url === '/api/graph-versions/11') return { status: 200, body: version }
  if (url === '/api/graphs/2/versions') return { status: 200, body: { data: [latest, version], count: 2 } }
  if (url === '/api/datasets/5/groups') return { status: 200, body: { columns: { speaker: {} } } }
  if (url === '/api/hyperparameters/check') {
    const optimizer = (body?.hyperparameters as { optimizer: { learning_rate: unknown } } | undefined)?.optimizer
    const warnings = optimizer?.learning_rate === 0.0001 ? [adadeltaWarning] : []
    return { status: 200, body: { valid: true, problems: [], warnings, hyperparameters: null } }
  }
  if (url === '/api/runs' && init?.method === 'POST') {
    created = body
    return runAnswer
  }
  return { status: 404, body: { error: { code: 'not_found', message: `no ${url}`, problems: [] } } }
}

beforeEach(() => {
  created = null
  runAnswer = { status: 201, body: { id: 42 } }
  vi.stubGlobal('scrollTo', vi.fn()) // navigate() scrolls; jsdom has no layout
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const { status, body } = answer(url, init)
      return new Response(JSON.stringify(body), { status })
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const select = (testId: string) => screen.getByTestId(testId) as HTMLSelectElement

describe('TrainPage', () => {
  it('opens on the version and dataset from the link, applies a warning’s fix and starts the run', async () => {
    render(<TrainPage graphVersionId={11} datasetId={5} />)
    await waitFor(() => expect(select('train-model').value).toBe('2'))
    await waitFor(() => expect(select('train-version').value).toBe('11'))
    expect(select('train-dataset').value).toBe('5')
    expect(screen.getByTestId('preset-description').textContent).toContain('Expect the loss')
    expect(screen.getByTestId('split-unavailable')).toBeTruthy()

    fireEvent.click(await screen.findByRole('button', { name: /Apply fix/ }))
    expect((screen.getByTestId('hp-optimizer.learning_rate') as HTMLInputElement).value).toBe('1')
    await waitFor(() => expect(screen.queryByTestId('hp-warning')).toBeNull())
    const train = screen.getByTestId('train-button') as HTMLButtonElement
    await waitFor(() => expect(train.disabled).toBe(false))
    fireEvent.click(train)
    await waitFor(() => expect(window.location.pathname).toBe('/runs/42'))
    expect(created).toMatchObject({ graph_version_id: 11, dataset_id: 5, hyperparameters: { optimizer: { learning_rate: 1 } } })
    expect(created).not.toHaveProperty('split')
  })

  it('shows every problem of a refused run', async () => {
    runAnswer = {
      status: 422,
      body: {
        error: {
          code: 'invalid_input',
          message: 'The run cannot start',
          problems: [{ loc: ['body', 'graph_version_id'], message: 'graph version 11 does not exist' }],
        },
      },
    }
    render(<TrainPage graphVersionId={11} datasetId={5} />)
    const train = (await screen.findByTestId('train-button')) as HTMLButtonElement
    await waitFor(() => expect(train.disabled).toBe(false))
    fireEvent.click(train)
    const alert = await screen.findByText('The run was not started')
    expect(alert.parentElement?.textContent).toContain('body › graph_version_id graph version 11 does not exist')
  })

  it('says what is missing while nothing is chosen', async () => {
    render(<TrainPage graphVersionId={null} datasetId={null} />)
    const blockers = await screen.findByTestId('train-blockers')
    expect(blockers.textContent).toContain('Choose a model version.')
    expect(blockers.textContent).toContain('Choose a dataset.')
    expect((screen.getByTestId('train-button') as HTMLButtonElement).disabled).toBe(true)
  })
})
