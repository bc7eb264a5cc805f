import { describe, expect, it } from 'vitest'
import { percent, ranked, uploadKind } from './predictFiles'

describe('uploadKind', () => {
  it('tells images, recordings and zips apart by name, whatever the case', () => {
    expect(uploadKind('face.PNG')).toBe('image')
    expect(uploadKind('take 1.wav')).toBe('audio')
    expect(uploadKind('batch.zip')).toBe('zip')
    expect(uploadKind('notes.txt')).toBeNull()
    expect(uploadKind('README')).toBeNull()
  })
})

describe('ranked', () => {
  it('puts the most probable class first', () => {
    expect(ranked({ anger: 0.2, neutral: 0.7, fear: 0.1 }).map(([c]) => c)).toEqual(['neutral', 'anger', 'fear'])
  })
})

describe('percent', () => {
  it('shows a decimal only where it says something', () => {
    expect(percent(0.4567)).toBe('45.7%')
    expect(percent(0.9999)).toBe('100%')
    expect(percent(0.001)).toBe('0%')
  })
})
