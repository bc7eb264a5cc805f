import { useState } from 'react'
import { type FormField, displayValue, parseInput, rangeHint } from './schemaForm'

interface ParamFieldProps {
  field: FormField
  value: unknown
  /** Problems the API reported for this param. */
  errors: string[]
  onChange: (value: unknown) => void
  onCommit: () => void
}

/** One generated input. Text that does not parse yet ("1e") stays in the box but is not applied. */
export function ParamField({ field, value, errors, onChange, onCommit }: ParamFieldProps) {
  const shown = displayValue(value)
  const [draft, setDraft] = useState({ text: shown, for: shown })
  const [localError, setLocalError] = useState<string | null>(null)
  // An outside change (undo, another node's edit) replaces the draft.
  if (draft.for !== shown) {
    const parsed = parseInput(field, draft.text)
    if (!parsed.ok || displayValue(parsed.value) !== shown) setDraft({ text: shown, for: shown })
    else setDraft({ text: draft.text, for: shown })
  }
  const inputId = `param-${field.name}`
  const apply = (text: string) => {
    setDraft({ text, for: shown })
    const parsed = parseInput(field, text)
    setLocalError(parsed.ok ? null : parsed.message)
    if (parsed.ok) onChange(parsed.value)
  }
  const messages = [...(localError ? [localError] : []), ...errors]
  const invalid = messages.length > 0
  const hint = [field.description, rangeHint(field), field.nullable ? 'empty: none' : ''].filter(Boolean).join(' · ')
  if (field.kind === 'boolean') {
    return (
      <div className="param-field param-boolean">
        <label>
          <input type="checkbox" name={field.name} checked={value === true} onChange={(e) => { onChange(e.target.checked); onCommit() }} />{' '}
          {field.title}
        </label>
        <FieldMessages messages={messages} />
      </div>
    )
  }
  return (
    <div className="param-field">
      <label htmlFor={inputId}>{field.title}</label>
      {field.kind === 'enum' ? (
        <select id={inputId} name={field.name} value={shown} aria-invalid={invalid} onChange={(e) => { apply(e.target.value); onCommit() }}>
          {(field.nullable || value === undefined) && <option value="">{field.nullable ? '(none)' : '(choose)'}</option>}
          {field.options.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={inputId}
          name={field.name}
          type={field.kind === 'text' ? 'text' : 'number'}
          step={field.kind === 'integer' ? 1 : 'any'}
          min={field.minimum}
          max={field.maximum}
          value={draft.text}
          placeholder={field.nullable ? 'none' : field.default !== undefined ? `default ${displayValue(field.default)}` : ''}
          aria-invalid={invalid}
          onChange={(e) => apply(e.target.value)}
          onBlur={onCommit}
        />
      )}
      {hint && <small className="muted">{hint}</small>}
      <FieldMessages messages={messages} />
    </div>
  )
}

export function FieldMessages({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null
  return (
    <ul className="field-errors" role="alert">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  )
}
