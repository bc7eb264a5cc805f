import { describe, expect, it } from 'vitest'
import { DEFAULT_FORM, PRESETS, applyPreset, formToRecipe, problemsByField, recipeSummary, recipeToForm } from './recipe'

// backend/audio_recipe.py's SpectrogramRecipe defaults, as the server dumps them.
const SCHEMA_DEFAULTS = {
  version: 1,
  sample_rate: 16000,
  mono: true,
  vad: { enabled: true, method: 'webrtc', aggressiveness: 2, frame_ms: 30, min_voiced_ms: 60, padding_ms: 90, energy_range_db: 35 },
  segment: { length_s: 1, hop_s: 0.5, min_length_s: 0.5 },
  stft: { n_fft: 512, hop_length: 160, window: 'hann' },
  scale: 'mel',
  n_mels: 128,
  fmin: 0,
  fmax: null,
  top_db: 80,
  colormap: 'viridis',
  width: 1200,
  height: 900,
}

function recipeOf(form: typeof DEFAULT_FORM) {
  const parsed = formToRecipe(form)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.recipe
}

describe('recipe form <-> JSON', () => {
  it('starts from the schema defaults', () => {
    expect(recipeToForm(SCHEMA_DEFAULTS)).toEqual(DEFAULT_FORM)
    expect(recipeToForm({})).toEqual(DEFAULT_FORM)
  })

  it('sends the defaults as the schema would store them, fmax null', () => {
    const recipe = recipeOf(DEFAULT_FORM)
    expect(recipe.fmax).toBeNull()
    expect(recipe.segment).toEqual(SCHEMA_DEFAULTS.segment)
    expect(recipe.stft).toEqual(SCHEMA_DEFAULTS.stft)
    expect(recipe.vad).toEqual({ enabled: true, method: 'webrtc', aggressiveness: 2 })
    expect(recipe.width).toBe(1200)
  })

  it('sends whole utterances as length_s null and reads them back', () => {
    const recipe = recipeOf({ ...DEFAULT_FORM, whole_utterance: true, length_s: 'junk' })
    expect(recipe.segment.length_s).toBeNull()
    const form = recipeToForm(recipe)
    expect(form.whole_utterance).toBe(true)
    expect(form.length_s).toBe(DEFAULT_FORM.length_s)
  })

  it('sends a blank hop as null (hop = length) and a blank fmax as null (Nyquist)', () => {
    const recipe = recipeOf({ ...DEFAULT_FORM, hop_s: ' ', fmax: '' })
    expect(recipe.segment.hop_s).toBeNull()
    expect(recipeToForm(recipe).hop_s).toBe('')
    expect(recipeToForm(recipe).fmax).toBe('')
    expect(recipeOf({ ...DEFAULT_FORM, fmax: '7600' }).fmax).toBe(7600)
  })

  it('round-trips a full recipe', () => {
    const form = { ...DEFAULT_FORM, scale: 'linear' as const, window: 'blackman' as const, colormap: 'magma' as const, vad_enabled: false, top_db: '60.5' }
    expect(recipeToForm(recipeOf(form))).toEqual(form)
  })

  it('names fields that are blank where null means nothing, or not numbers', () => {
    const parsed = formToRecipe({ ...DEFAULT_FORM, width: '', n_fft: '5l2' })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(Object.keys(parsed.problems).sort()).toEqual(['stft.n_fft', 'width'])
    expect(parsed.problems['stft.n_fft']?.[0]).toContain("'5l2'")
  })

  it('applies a preset to the output size only', () => {
    const small = PRESETS.find((p) => p.name === 'small')
    if (small === undefined) throw new Error('no small preset')
    expect(applyPreset(DEFAULT_FORM, small)).toEqual({ ...DEFAULT_FORM, width: '128', height: '128' })
  })

  it('summarises a stored recipe', () => {
    expect(recipeSummary({ ...SCHEMA_DEFAULTS, segment: { length_s: null }, width: 96, height: 64 })).toContain(
      '96×64 viridis, whole utterances',
    )
  })
})

describe('problemsByField', () => {
  it('places field problems at their field without the repeated prefix', () => {
    const out = problemsByField([
      { loc: ['recipe', 'stft', 'n_fft'], message: 'stft.n_fft: Input should be greater than or equal to 16' },
      { loc: ['recipe', 'width'], message: 'width: Input should be a valid integer' },
    ])
    expect(out).toEqual({ 'stft.n_fft': ['Input should be greater than or equal to 16'], width: ['Input should be a valid integer'] })
  })

  it('places cross-field problems at the field their message names', () => {
    const out = problemsByField([
      { loc: ['recipe'], message: 'recipe: fmax (9000 Hz) must not exceed half of sample_rate (8000 Hz)' },
      { loc: ['recipe', 'segment'], message: 'segment: segment.min_length_s (2) must not exceed segment.length_s (1)' },
      { loc: ['recipe', 'stft'], message: 'stft: stft.hop_length (600) must not exceed stft.n_fft (512): skipped' },
      { loc: ['recipe'], message: 'recipe: version 9 is newer than this studio understands (1)' },
      { loc: ['path', 'dataset_id'], message: 'dataset 3 is a image dataset' },
    ])
    expect(Object.keys(out).sort()).toEqual(['', 'fmax', 'segment.min_length_s', 'stft.hop_length'])
    expect(out['']).toHaveLength(2)
  })
})
