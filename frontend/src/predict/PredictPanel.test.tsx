// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PredictionsPublic } from '../api/types'
import { PredictPanel } from './PredictPanel'

const recording: PredictionsPublic = {
  model_id: 4,
  classes: ['anger', 'fear', 'neutral'],
  cached: true,
  predictions: [
    {
      name: 'take.wav',
      kind: 'audio',
      probabilities: { anger: 0.7, fear: 0.2, neutral: 0.1 },
      predicted: 'anger',
      segments: 2,
      per_segment: [
        { index: 0, start_s: 0, end_s: 1, probabilities: { anger: 0.6, fear: 0.3, neutral: 0.1 }, predicted: 'anger' },
        { index: 1, start_s: 0.5, end_s: 1.5, probabilities: { anger: 0.8, fear: 0.1, neutral: 0.1 }, predicted: 'anger' },
      ],
    },
  ],
  skipped: [],
}

function answer(status: number, body: unknown) {
  return vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

function pick(name: string) {
  const input = screen.getByTestId('predict-input')
  fireEvent.change(input, { target: { files: [new File(['x'], name)] } })
}

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('PredictPanel', () => {
  it('posts the file to the model and shows its probabilities, most probable first', async () => {
    const fetchMock = answer(200, recording)
    vi.stubGlobal('fetch', fetchMock)
    render(<PredictPanel runId={4} />)
    pick('take.wav')
    await waitFor(() => expect(screen.getByTestId('predicted-class').textContent).toBe('anger'))
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/models/4/predict')
    const bars = screen.getByTestId('probabilities').querySelectorAll('li')
    expect([...bars].map((li) => li.getAttribute('data-class'))).toEqual(['anger', 'fear', 'neutral'])
    expect(bars[0]?.textContent).toContain('70.0%')
    expect(screen.getByText(/Mean of 2 segments/)).toBeTruthy()
  })

  it("shows the server's reason when it refuses a file", async () => {
    const refusal = {
      error: { code: 'invalid_input', message: "Cannot predict 'take.wav': not made from recordings", problems: [] },
    }
    vi.stubGlobal('fetch', answer(422, refusal))
    render(<PredictPanel runId={4} />)
    pick('take.wav')
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('not made from recordings'))
  })

  it('refuses a file it cannot predict without asking the server', () => {
    const fetchMock = answer(200, recording)
    vi.stubGlobal('fetch', fetchMock)
    render(<PredictPanel runId={4} />)
    pick('notes.txt')
    expect(screen.getByRole('alert').textContent).toContain("Cannot predict 'notes.txt'")
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
