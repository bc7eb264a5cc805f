// The spectrogram recipe form as plain state, and its round trip to the JSON that
// backend/audio_recipe.py validates. Numbers are kept as the strings the user typed so a
// half-typed value is not lost; the server stays the judge of bounds and cross-field rules.
import type { Problem } from '../api/types'

export type Window = 'hann' | 'hamming' | 'blackman' | 'rectangular'
export type Colormap = 'viridis' | 'magma' | 'gray'
export const WINDOWS: readonly Window[] = ['hann', 'hamming', 'blackman', 'rectangular']
export const COLORMAPS: readonly Colormap[] = ['viridis', 'magma', 'gray']

export interface RecipeForm {
  sample_rate: string
  vad_enabled: boolean
  vad_method: 'webrtc' | 'energy'
  vad_aggressiveness: string
  /** True sends `segment.length_s: null`: one segment per (voiced) utterance. */
  whole_utterance: boolean
  length_s: string
  /** Blank sends null: hop = length. */
  hop_s: string
  min_length_s: string
  n_fft: string
  hop_length: string
  window: Window
  scale: 'linear' | 'mel'
  n_mels: string
  fmin: string
  /** Blank sends null: half the sample rate. */
  fmax: string
  top_db: string
  colormap: Colormap
  width: string
  height: string
}

/** The defaults of SpectrogramRecipe, field for field. */
export const DEFAULT_FORM: RecipeForm = {
  sample_rate: '16000',
  vad_enabled: true,
  vad_method: 'webrtc',
  vad_aggressiveness: '2',
  whole_utterance: false,
  length_s: '1',
  hop_s: '0.5',
  min_length_s: '0.5',
  n_fft: '512',
  hop_length: '160',
  window: 'hann',
  scale: 'mel',
  n_mels: '128',
  fmin: '0',
  fmax: '',
  top_db: '80',
  colormap: 'viridis',
  width: '1200',
  height: '900',
}

export interface Preset {
  name: string
  title: string
  width: number
  height: number
}

export const PRESETS: readonly Preset[] = [
  { name: 'paper', title: "Paper's 1200 × 900", width: 1200, height: 900 },
  { name: 'small', title: 'Small & fast 128 × 128', width: 128, height: 128 },
]

export function applyPreset(form: RecipeForm, preset: Preset): RecipeForm {
  return { ...form, width: String(preset.width), height: String(preset.height) }
}

/** Form keys as the server's dotted field paths (the tail of a problem's loc after "recipe"). */
export const FIELD_PATHS: Record<Exclude<keyof RecipeForm, 'whole_utterance'>, string> = {
  sample_rate: 'sample_rate',
  vad_enabled: 'vad.enabled',
  vad_method: 'vad.method',
  vad_aggressiveness: 'vad.aggressiveness',
  length_s: 'segment.length_s',
  hop_s: 'segment.hop_s',
  min_length_s: 'segment.min_length_s',
  n_fft: 'stft.n_fft',
  hop_length: 'stft.hop_length',
  window: 'stft.window',
  scale: 'scale',
  n_mels: 'n_mels',
  fmin: 'fmin',
  fmax: 'fmax',
  top_db: 'top_db',
  colormap: 'colormap',
  width: 'width',
  height: 'height',
}

export type RecipeJson = Record<string, unknown> & {
  vad: Record<string, unknown>
  segment: Record<string, unknown>
  stft: Record<string, unknown>
}

/** Problems keyed by dotted field path; '' holds those that name no field. */
export type FieldProblems = Record<string, string[]>

export type Parsed = { ok: true; recipe: RecipeJson } | { ok: false; problems: FieldProblems }

function numberOrNull(text: string): number | null | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return null
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : undefined
}

/** The form as recipe JSON, or the fields that are not numbers (blank only where null means something). */
export function formToRecipe(form: RecipeForm): Parsed {
  const problems: FieldProblems = {}
  const nullable = new Set(['hop_s', 'fmax'])
  const read = (key: keyof typeof FIELD_PATHS): number | null => {
    const value = numberOrNull(String(form[key]))
    if (value === undefined || (value === null && !nullable.has(key))) {
      problems[FIELD_PATHS[key]] = [value === null ? 'a number is needed' : `'${String(form[key])}' is not a number`]
      return null
    }
    return value
  }
  const recipe: RecipeJson = {
    sample_rate: read('sample_rate'),
    vad: { enabled: form.vad_enabled, method: form.vad_method, aggressiveness: read('vad_aggressiveness') },
    segment: {
      length_s: form.whole_utterance ? null : read('length_s'),
      hop_s: read('hop_s'),
      min_length_s: read('min_length_s'),
    },
    stft: { n_fft: read('n_fft'), hop_length: read('hop_length'), window: form.window },
    scale: form.scale,
    n_mels: read('n_mels'),
    fmin: read('fmin'),
    fmax: read('fmax'),
    top_db: read('top_db'),
    colormap: form.colormap,
    width: read('width'),
    height: read('height'),
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, recipe }
}

function text(value: unknown, fallback: string): string {
  if (value === null) return ''
  return typeof value === 'number' || typeof value === 'string' ? String(value) : fallback
}

function section(recipe: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = recipe[key]
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((option) => option === value) ?? fallback
}

/** A stored recipe (or a partial one) as form state; what it leaves out keeps its default. */
export function recipeToForm(recipe: Record<string, unknown>): RecipeForm {
  const d = DEFAULT_FORM
  const vad = section(recipe, 'vad')
  const segment = section(recipe, 'segment')
  const stft = section(recipe, 'stft')
  const whole = 'length_s' in segment && segment.length_s === null
  return {
    sample_rate: text(recipe.sample_rate, d.sample_rate),
    vad_enabled: typeof vad.enabled === 'boolean' ? vad.enabled : d.vad_enabled,
    vad_method: oneOf(vad.method, ['webrtc', 'energy'], d.vad_method),
    vad_aggressiveness: text(vad.aggressiveness, d.vad_aggressiveness),
    whole_utterance: whole,
    // A whole-utterance recipe still remembers a length to go back to.
    length_s: whole ? d.length_s : text(segment.length_s, d.length_s),
    hop_s: 'hop_s' in segment ? text(segment.hop_s, d.hop_s) : d.hop_s,
    min_length_s: text(segment.min_length_s, d.min_length_s),
    n_fft: text(stft.n_fft, d.n_fft),
    hop_length: text(stft.hop_length, d.hop_length),
    window: oneOf(stft.window, WINDOWS, d.window),
    scale: oneOf(recipe.scale, ['linear', 'mel'], d.scale),
    n_mels: text(recipe.n_mels, d.n_mels),
    fmin: text(recipe.fmin, d.fmin),
    fmax: 'fmax' in recipe ? text(recipe.fmax, d.fmax) : d.fmax,
    top_db: text(recipe.top_db, d.top_db),
    colormap: oneOf(recipe.colormap, COLORMAPS, d.colormap),
    width: text(recipe.width, d.width),
    height: text(recipe.height, d.height),
  }
}

const KNOWN_PATHS = new Set(Object.values(FIELD_PATHS))

/**
 * Server problems (loc ["recipe", "stft", "n_fft"]) keyed by field path. A cross-field rule
 * is located at its model (["recipe"] or ["recipe", "segment"]); its message starts with the
 * field it blames ("fmax (9000 Hz) must not exceed ..."), so it is shown beside that field.
 */
export function problemsByField(problems: Problem[]): FieldProblems {
  const out: FieldProblems = {}
  for (const problem of problems) {
    const [head, ...rest] = problem.loc.map(String)
    let path = head === 'recipe' ? rest.join('.') : ''
    // recipe_problems prefixes each message with its loc ("stft: ..."); the field shows that already.
    const message = problem.message.replace(/^[\w.]+: /, '')
    if (!KNOWN_PATHS.has(path)) {
      const named = /^([\w.]+) \(/.exec(message)?.[1]
      const prefix = path === '' ? '' : `${path}.`
      const candidate = named === undefined ? '' : named.startsWith(prefix) ? named : `${prefix}${named}`
      path = KNOWN_PATHS.has(candidate) ? candidate : ''
    }
    ;(out[path] ??= []).push(message)
  }
  return out
}

/** One line for a stored recipe: "mel 128 bands, 1200×900 viridis, 1 s segments (hop 0.5 s), 16000 Hz, VAD on". */
export function recipeSummary(recipe: Record<string, unknown>): string {
  const f = recipeToForm(recipe)
  const scale = f.scale === 'mel' ? `mel ${f.n_mels} bands` : 'linear'
  const segments = f.whole_utterance ? 'whole utterances' : `${f.length_s} s segments (hop ${f.hop_s || f.length_s} s)`
  const vad = f.vad_enabled ? `VAD ${f.vad_method} ${f.vad_aggressiveness}` : 'no VAD'
  const band = `${f.fmin}–${f.fmax === '' ? 'Nyquist' : `${f.fmax} Hz`}`
  const stft = `n_fft ${f.n_fft}, hop ${f.hop_length}, ${f.window}`
  return `${scale}, ${f.width}×${f.height} ${f.colormap}, ${segments}, ${f.sample_rate} Hz, ${vad}, ${stft}, ${band}, floor −${f.top_db} dB`
}

/** 754.3 -> "12 min 34 s"; 42.25 -> "42.3 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = Math.round(seconds % 60)
  return hours > 0 ? `${hours} h ${minutes} min ${rest} s` : `${minutes} min ${rest} s`
}
