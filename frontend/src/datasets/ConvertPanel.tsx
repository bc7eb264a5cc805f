import { useState, type FormEvent } from 'react'
import { ApiError, api } from '../api/client'
import type { ConversionPublic, DatasetPublic } from '../api/types'
import { ConversionProgress } from './ConversionProgress'
import { RecipeFields } from './RecipeFields'
import { DEFAULT_FORM, PRESETS, applyPreset, formToRecipe, problemsByField, type FieldProblems } from './recipe'

interface Submitted {
  problems: FieldProblems
  /** A failure that is not about a field (network, broker down, not an audio dataset). */
  error: ApiError | null
}

/** The recipe form, Start, then the conversion's progress (a new start replaces the shown one). */
export function ConvertPanel({ dataset }: { dataset: DatasetPublic }) {
  const [form, setForm] = useState(DEFAULT_FORM)
  const [name, setName] = useState(`${dataset.name} spectrograms`)
  const [sending, setSending] = useState(false)
  const [result, setResult] = useState<Submitted>({ problems: {}, error: null })
  const [conversion, setConversion] = useState<ConversionPublic | null>(null)

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    const parsed = formToRecipe(form)
    if (!parsed.ok) {
      setResult({ problems: parsed.problems, error: null })
      return
    }
    setSending(true)
    try {
      const started = await api.startConversion(dataset.id, { recipe: parsed.recipe, name: name.trim() || undefined })
      setResult({ problems: {}, error: null })
      setConversion(started)
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'client', String(error))
      const located = apiError.status === 422 ? problemsByField(apiError.problems) : {}
      const unplaced = apiError.status !== 422 || (located[''] ?? []).length > 0 || apiError.problems.length === 0
      setResult({ problems: located, error: unplaced ? apiError : null })
    } finally {
      setSending(false)
    }
  }

  const fieldCount = Object.keys(result.problems).filter((key) => key !== '').length
  return (
    <section className="panel" data-testid="convert-panel">
      <h2>Convert to spectrograms</h2>
      <p className="muted">
        Renders every recording into spectrogram images on the worker; the result is a new image dataset that keeps each
        segment&apos;s recording and speaker.
      </p>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <div className="presets">
          <span className="muted">Output size:</span>
          {PRESETS.map((preset) => (
            <button
              key={preset.name}
              type="button"
              className="button secondary"
              data-preset={preset.name}
              onClick={() => setForm(applyPreset(form, preset))}
            >
              {preset.title}
            </button>
          ))}
          <button type="button" className="button secondary" onClick={() => setForm(DEFAULT_FORM)}>
            Reset to defaults
          </button>
        </div>
        <RecipeFields form={form} problems={result.problems} onChange={setForm} />
        {result.error !== null && (
          <div className="error-box" role="alert" data-testid="convert-error">
            <strong>The conversion was not started</strong>
            <p>{result.error.message}</p>
            {(result.problems[''] ?? []).map((message, i) => (
              <p key={i}>{message}</p>
            ))}
          </div>
        )}
        {fieldCount > 0 && result.error === null && (
          <p className="field-problem" role="alert">
            Fix the {fieldCount === 1 ? 'field' : `${fieldCount} fields`} marked above.
          </p>
        )}
        <div className="actions">
          <label className="name-field">
            New dataset name
            <input name="conversion-name" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
          </label>
          <button type="submit" className="button" disabled={sending}>
            {sending ? 'Starting…' : 'Start'}
          </button>
        </div>
      </form>
      {conversion !== null && <ConversionProgress key={conversion.id} initial={conversion} />}
    </section>
  )
}
