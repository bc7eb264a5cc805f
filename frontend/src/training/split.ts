// The split panel's state and its checks (backend/splits/schemas.py SplitSpec):
// percentages of the items per part that sum to 100, optional stratification and a
// group column no value of which may span two parts.
import type { SplitLeak, SplitSpec } from '../api/types'

export interface SplitForm {
  method: SplitSpec['method']
  train: string
  validation: string
  test: string
  stratify: boolean
  /** '' for none. */
  groupBy: string
  seed: string
}

export const PARTS = ['train', 'validation', 'test'] as const
export type PartName = (typeof PARTS)[number]

/** The paper's 60 / 20 / 20. */
export const DEFAULT_SPLIT: SplitForm = {
  method: 'percentages',
  train: '60',
  validation: '20',
  test: '20',
  stratify: true,
  groupBy: '',
  seed: '0',
}

export interface SplitCheck {
  /** Per field (train, validation, test, seed, sum) what is wrong, in words. */
  problems: Partial<Record<PartName | 'seed' | 'sum', string>>
  split: SplitSpec | null
}

function percent(text: string): number | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  const value = Number(trimmed)
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value : null
}

/** Every problem at once, so the form can show each under its field. */
export function checkSplit(form: SplitForm): SplitCheck {
  const problems: SplitCheck['problems'] = {}
  const values: Partial<Record<PartName, number>> = {}
  for (const part of PARTS) {
    const value = percent(form[part])
    if (value === null) problems[part] = `${part} must be a percentage from 0 to 100`
    else values[part] = value
  }
  if (values.train === 0) problems.train = 'train must be more than 0%'
  const seed = form.seed.trim()
  if (!/^\d+$/.test(seed) || Number(seed) > 2 ** 31 - 1) problems.seed = 'seed must be a whole number from 0'
  const { train, validation, test } = values
  if (train !== undefined && validation !== undefined && test !== undefined) {
    const sum = Math.round((train + validation + test) * 1e6) / 1e6
    if (sum !== 100) problems.sum = `The percentages add up to ${sum}%, not 100%`
  }
  if (Object.keys(problems).length > 0 || train === undefined || validation === undefined || test === undefined) {
    return { problems, split: null }
  }
  const groupBy = form.groupBy === '' ? null : form.groupBy
  return {
    problems,
    split: { method: form.method, train, validation, test, stratify: form.stratify, group_by: groupBy, seed: Number(seed) },
  }
}

/** One leak's examples in a line each: `{speaker: "a", parts: [...]}` -> `speaker: a · parts: train, test`. */
export function describeExample(example: unknown): string {
  if (typeof example !== 'object' || example === null) return String(example)
  return Object.entries(example)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ')
}

const LEAK_NAMES: Record<string, string> = {
  group: 'groups in more than one part',
  source_recording: 'recordings with segments in more than one part',
  exact_duplicate: 'identical images in more than one part',
  near_duplicate: 'near-identical images in more than one part',
}

export function describeLeak(leak: SplitLeak & { column?: string | null }): string {
  const name = LEAK_NAMES[leak.kind] ?? leak.kind
  return `${leak.count} ${name}${leak.column ? ` (column ${leak.column})` : ''}`
}
