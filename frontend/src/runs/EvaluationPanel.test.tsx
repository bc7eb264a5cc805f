// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunEvaluation } from './evaluation'
import { EvaluationPanel } from './EvaluationPanel'

const evaluation: RunEvaluation = {
  split: 'test',
  checkpoint: 'best',
  best_epoch: 2,
  classes: ['anger', 'neutral'],
  n: 4,
  accuracy: { value: 0.75, ci95: [0.25, 1] },
  balanced_accuracy: { value: 0.75, ci95: [0.5, 1] },
  macro_f1: 0.733,
  per_class: {
    anger: { precision: 1, recall: 0.5, f1: 0.667, support: 2 },
    neutral: { precision: 0.667, recall: 1, f1: 0.8, support: 2 },
  },
  confusion: { labels: ['anger', 'neutral'], counts: [[1, 1], [0, 2]], normalized: [[0.5, 0.5], [0, 1]] },
  per_group: { speaker: { s1: { n: 2, accuracy: 0.5, balanced_accuracy: 0.5 } } },
  recording_level: {
    column: 'source',
    n: 2,
    accuracy: { value: 1, ci95: [1, 1] },
    balanced_accuracy: { value: 1, ci95: [1, 1] },
    macro_f1: 1,
    confusion: { labels: ['anger', 'neutral'], counts: [[1, 0], [0, 1]], normalized: [[1, 0], [0, 1]] },
  },
}

const cell = {
  count: 1,
  classes: ['anger', 'neutral'],
  offset: 0,
  limit: 24,
  items: [{ item_id: 5, path: 'anger/a.png', true: 'anger', predicted: 'neutral', probabilities: [0.4, 0.6], metadata: {}, image_url: '/api/datasets/1/items/5/image', thumbnail_url: '/api/datasets/1/items/5/thumbnail' }],
}

let calls: string[] = []
beforeEach(() => {
  calls = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      calls.push(url)
      return new Response(JSON.stringify(url.includes('/predictions') ? cell : evaluation), { status: 200 })
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('EvaluationPanel', () => {
  it('shows the cards, the matrix and, on a click, that cell’s images with probabilities', async () => {
    render(<EvaluationPanel runId={3} />)
    expect((await screen.findByTestId('card-accuracy')).textContent).toContain('95% CI 25.0–100.0%')
    expect(screen.getByTestId('card-checkpoint').textContent).toContain('epoch 2')
    expect(screen.getByTestId('cell-anger-neutral').textContent).toBe('1')
    fireEvent.click(screen.getByTestId('confusion-matrix-normalized'))
    expect(screen.getByTestId('cell-anger-neutral').textContent).toBe('0.50')

    fireEvent.click(screen.getByTestId('cell-anger-neutral'))
    const panel = await screen.findByTestId('cell-items')
    expect(await within(panel).findByText('anger/a.png')).toBeTruthy()
    expect(calls).toContain('/api/runs/3/predictions?true=anger&predicted=neutral&limit=24')
    const bars = within(panel).getAllByTestId('probability').map((li) => li.textContent)
    expect(bars).toEqual(['anger (true)40.0%', 'neutral60.0%'])
    expect(within(panel).getByRole('img').getAttribute('src')).toBe('/api/datasets/1/items/5/thumbnail')
    expect(screen.getByTestId('recording-level').textContent).toContain('Recordings')
    expect(screen.getByTestId('per-group-table').textContent).toContain('s1')
  })

  it('says why there is no evaluation yet', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ error: { code: 'not_found', message: 'Run 3 has no evaluation yet (running)', problems: [] } }), { status: 404 })),
    )
    render(<EvaluationPanel runId={3} />)
    expect((await screen.findByTestId('evaluation')).textContent).toContain('Run 3 has no evaluation yet')
  })
})
