// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RunTags } from './RunTags'

function reply(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** The server's answer to PATCH: the run with the tags it was sent. */
function acceptingServer() {
  return vi.fn(async (_url: string, init?: RequestInit) => {
    const { tags } = JSON.parse(String(init?.body)) as { tags: string[] }
    return reply(200, { id: 7, tags })
  })
}

const shownTags = () => screen.queryAllByTestId('run-tag').map((chip) => chip.firstChild?.textContent)

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('RunTags', () => {
  it('adds a tag on Enter and removes one with ×, sending the whole list each time', async () => {
    const fetchMock = acceptingServer()
    vi.stubGlobal('fetch', fetchMock)
    render(<RunTags runId={7} initial={['baseline']} />)
    expect(shownTags()).toEqual(['baseline'])

    const input = screen.getByLabelText('Add a tag') as HTMLInputElement
    fireEvent.change(input, { target: { value: '  lr-sweep ' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(shownTags()).toEqual(['baseline', 'lr-sweep']))
    expect(input.value).toBe('')
    const [url, init] = fetchMock.mock.calls[0] ?? []
    expect(url).toBe('/api/runs/7/tags')
    expect(init?.method).toBe('PATCH')
    expect(JSON.parse(String(init?.body))).toEqual({ tags: ['baseline', 'lr-sweep'] })

    fireEvent.click(screen.getByRole('button', { name: 'Remove tag baseline' }))
    await waitFor(() => expect(shownTags()).toEqual(['lr-sweep']))
    expect(JSON.parse(String(fetchMock.mock.calls[1]?.[1]?.body))).toEqual({ tags: ['lr-sweep'] })
  })

  it('shows the API refusal and keeps the tags as they were', async () => {
    const refusal = {
      error: {
        code: 'invalid_input', message: 'The request is not valid',
        problems: [{ loc: ['body', 'tags', 1], message: "a tag holds letters, digits, spaces and . : + - / _ only; received 'no!'" }],
      },
    }
    vi.stubGlobal('fetch', vi.fn(async () => reply(422, refusal)))
    render(<RunTags runId={7} initial={['keep']} />)
    const input = screen.getByLabelText('Add a tag') as HTMLInputElement
    fireEvent.change(input, { target: { value: 'no!' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain("received 'no!'")
    expect(alert.textContent).toContain('body › tags › 1')
    expect(shownTags()).toEqual(['keep'])
    expect(input.value).toBe('no!') // left to fix, not lost
  })
})
