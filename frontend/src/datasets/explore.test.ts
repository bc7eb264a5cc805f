import { describe, expect, it } from 'vitest'
import { asksForColumns, buildGroupTables, classBars, formatLoc, tally } from './explore'

describe('buildGroupTables', () => {
  const groups = {
    columns: {
      speaker: { '10': { anger: 1 }, '2': { anger: 2, neutral: 3 } },
      gender: { f: { neutral: 1, surprise: 4 } },
    },
  }

  it('makes a table per column, values in natural order, counts in class order', () => {
    const [gender, speaker] = buildGroupTables(groups, ['anger', 'neutral'])
    expect(speaker?.column).toBe('speaker')
    expect(speaker?.classes).toEqual(['anger', 'neutral'])
    expect(speaker?.rows).toEqual([
      { value: '2', counts: [2, 3], total: 5 },
      { value: '10', counts: [1, 0], total: 1 },
    ])
    // A class the dataset does not list still gets a column rather than vanishing.
    expect(gender?.classes).toEqual(['anger', 'neutral', 'surprise'])
    expect(gender?.rows).toEqual([{ value: 'f', counts: [0, 1, 4], total: 5 }])
  })

  it('is empty without metadata columns', () => {
    expect(buildGroupTables({ columns: {} }, ['a'])).toEqual([])
  })
})

describe('classBars', () => {
  it('scales bars to the largest class', () => {
    expect(classBars(['a', 'b', 'c'], { a: 2, b: 4 })).toEqual([
      { label: 'a', count: 2, fraction: 0.5 },
      { label: 'b', count: 4, fraction: 1 },
      { label: 'c', count: 0, fraction: 0 },
    ])
  })
})

describe('tally', () => {
  it('lists the most common first', () => {
    expect(tally({ '32x32': 2, '64x64': 10 })).toEqual([
      ['64x64', 10],
      ['32x32', 2],
    ])
    expect(tally(undefined)).toEqual([])
  })
})

describe('formatLoc', () => {
  it('spells out CSV rows and columns', () => {
    expect(formatLoc(['csv', 'labels.csv', 'row', 5])).toBe('labels.csv, row 5')
    expect(formatLoc(['csv', 'labels.csv', 'row', 5, 'column', 'path'])).toBe('labels.csv, row 5, column path')
    expect(formatLoc(['file', 'emotion/a/x.png'])).toBe('file › emotion/a/x.png')
  })

  it('offers column inputs for CSV and form problems only', () => {
    expect(asksForColumns([{ loc: ['csv', 'labels.csv', 'row', 2], message: 'x' }])).toBe(true)
    expect(asksForColumns([{ loc: ['form', 'label_column'], message: 'x' }])).toBe(true)
    expect(asksForColumns([{ loc: ['zip', 'a.png'], message: 'x' }])).toBe(false)
  })
})
