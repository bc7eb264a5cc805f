import type { ReactNode } from 'react'
import { COLORMAPS, FIELD_PATHS, WINDOWS, type FieldProblems, type RecipeForm } from './recipe'

type Key = keyof typeof FIELD_PATHS

interface FieldsProps {
  form: RecipeForm
  problems: FieldProblems
  onChange: (form: RecipeForm) => void
}

function FieldProblemList({ messages }: { messages: string[] | undefined }) {
  if (messages === undefined || messages.length === 0) return null
  return (
    <span className="field-problem" role="alert">
      {messages.join('; ')}
    </span>
  )
}

interface FieldProps extends FieldsProps {
  name: Key
  label: string
  hint?: string
  children: ReactNode
}

/** A labelled control with its problems right below it; `data-field` is the server's field path. */
function Field({ name, label, hint, problems, children }: FieldProps) {
  const path = FIELD_PATHS[name]
  return (
    <label className="recipe-field" data-field={path} data-invalid={problems[path] !== undefined || undefined}>
      <span>
        {label} {hint !== undefined && <span className="muted">{hint}</span>}
      </span>
      {children}
      <FieldProblemList messages={problems[path]} />
    </label>
  )
}

type TextKey = { [K in Key]: RecipeForm[K] extends string ? K : never }[Key]

function NumberField(props: FieldsProps & { name: TextKey; label: string; hint?: string; disabled?: boolean; placeholder?: string }) {
  const { form, onChange, name, disabled, placeholder } = props
  return (
    <Field {...props}>
      <input
        name={name}
        inputMode="decimal"
        value={form[name]}
        disabled={disabled}
        placeholder={placeholder}
        onChange={(event) => onChange({ ...form, [name]: event.target.value })}
      />
    </Field>
  )
}

function Select<T extends string>(props: FieldsProps & { name: Key; label: string; value: T; options: readonly T[]; set: (value: T) => void }) {
  const { name, value, options, set } = props
  return (
    <Field {...props}>
      <select name={name} value={value} onChange={(event) => set(options.find((o) => o === event.target.value) ?? value)}>
        {options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </Field>
  )
}

/** Every SpectrogramRecipe field (backend/audio_recipe.py) grouped as the pipeline runs. */
export function RecipeFields(props: FieldsProps) {
  const { form, onChange } = props
  const set = <K extends keyof RecipeForm>(key: K) => (value: RecipeForm[K]) => onChange({ ...form, [key]: value })
  return (
    <div className="recipe-fields">
      <fieldset>
        <legend>Input</legend>
        <NumberField {...props} name="sample_rate" label="Sample rate" hint="Hz, 4000–192000" />
      </fieldset>
      <fieldset>
        <legend>Voice activity</legend>
        <Field {...props} name="vad_enabled" label="Keep voiced speech only">
          <input name="vad_enabled" type="checkbox" checked={form.vad_enabled} onChange={(e) => set('vad_enabled')(e.target.checked)} />
        </Field>
        <Select {...props} name="vad_method" label="Method" value={form.vad_method} options={['webrtc', 'energy'] as const} set={set('vad_method')} />
        <NumberField {...props} name="vad_aggressiveness" label="Aggressiveness" hint="0 lenient – 3" disabled={!form.vad_enabled} />
      </fieldset>
      <fieldset>
        <legend>Segments</legend>
        <label className="recipe-field">
          <span>Whole utterance</span>
          <input
            name="whole_utterance"
            type="checkbox"
            checked={form.whole_utterance}
            onChange={(e) => set('whole_utterance')(e.target.checked)}
          />
        </label>
        <NumberField {...props} name="length_s" label="Length" hint="s, 0.03–600" disabled={form.whole_utterance} />
        <NumberField {...props} name="hop_s" label="Hop" hint="s; blank = length" disabled={form.whole_utterance} placeholder="= length" />
        <NumberField {...props} name="min_length_s" label="Min length" hint="s; shorter tails dropped" />
      </fieldset>
      <fieldset>
        <legend>STFT</legend>
        <NumberField {...props} name="n_fft" label="n_fft" hint="16–16384" />
        <NumberField {...props} name="hop_length" label="hop_length" hint="samples, ≤ n_fft" />
        <Select {...props} name="window" label="Window" value={form.window} options={WINDOWS} set={set('window')} />
      </fieldset>
      <fieldset>
        <legend>Frequency and level</legend>
        <Select {...props} name="scale" label="Scale" value={form.scale} options={['mel', 'linear'] as const} set={set('scale')} />
        <NumberField {...props} name="n_mels" label="Mel bands" hint="≤ n_fft/2 + 1" disabled={form.scale !== 'mel'} />
        <NumberField {...props} name="fmin" label="fmin" hint="Hz" />
        <NumberField {...props} name="fmax" label="fmax" hint="Hz; blank = rate / 2" placeholder="Nyquist" />
        <NumberField {...props} name="top_db" label="dB floor" hint="below the loudest bin" />
      </fieldset>
      <fieldset>
        <legend>Image</legend>
        <Select {...props} name="colormap" label="Colour map" value={form.colormap} options={COLORMAPS} set={set('colormap')} />
        <NumberField {...props} name="width" label="Width" hint="px" />
        <NumberField {...props} name="height" label="Height" hint="px" />
      </fieldset>
    </div>
  )
}
