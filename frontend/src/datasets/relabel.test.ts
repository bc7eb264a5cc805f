import { describe, expect, it } from 'vitest'
import { buildMapping, findMerges, initialEdits, problemsByClass, resultingCounts } from './relabel'

const classes = ['anger', 'fear', 'neutral', 'stress']

function edit(changes: Record<string, string | null>) {
  return initialEdits(classes).map((e) =>
    e.label in changes ? (changes[e.label] === null ? { ...e, drop: true } : { ...e, name: changes[e.label] ?? e.name }) : e,
  )
}

describe('buildMapping', () => {
  it('omits unchanged classes', () => {
    expect(buildMapping(initialEdits(classes))).toEqual({})
    expect(buildMapping(edit({ fear: 'stress' }))).toEqual({ fear: 'stress' })
  })

  it('sends drops as null, whatever the name field holds', () => {
    const edits = edit({ neutral: null }).map((e) => (e.label === 'neutral' ? { ...e, name: 'calm' } : e))
    expect(buildMapping(edits)).toEqual({ neutral: null })
  })

  it('trims names and treats a name equal to the label after trimming as unchanged', () => {
    expect(buildMapping(edit({ anger: '  anger ', fear: ' scared ' }))).toEqual({ fear: 'scared' })
  })

  it('sends an emptied name so the server can say what is wrong', () => {
    expect(buildMapping(edit({ fear: '   ' }))).toEqual({ fear: '' })
  })
})

describe('findMerges', () => {
  it('finds a class renamed onto an unchanged one', () => {
    expect(findMerges(edit({ fear: 'stress' }))).toEqual([{ into: 'stress', from: ['fear', 'stress'] }])
  })

  it('finds two classes renamed to one new name, ignoring dropped ones', () => {
    expect(findMerges(edit({ anger: 'aroused', stress: 'aroused', fear: null }))).toEqual([
      { into: 'aroused', from: ['anger', 'stress'] },
    ])
    expect(findMerges(edit({ anger: 'x', fear: 'y' }))).toEqual([])
  })
})

describe('resultingCounts', () => {
  it('adds merged counts and leaves dropped classes out', () => {
    const counts = { anger: 6, fear: 3, neutral: 5, stress: 6 }
    expect(resultingCounts(edit({ anger: 'stress', neutral: null }), counts)).toEqual({ stress: 12, fear: 3 })
  })
})

describe('problemsByClass', () => {
  it('keys problems by class, the rest under the empty key', () => {
    const problems = [
      { loc: ['body', 'mapping', 'joy'], message: "'joy' is not a class" },
      { loc: ['body', 'mapping'], message: 'leaves 1 class(es)' },
    ]
    expect(problemsByClass(problems)).toEqual({ joy: ["'joy' is not a class"], '': ['leaves 1 class(es)'] })
  })
})
