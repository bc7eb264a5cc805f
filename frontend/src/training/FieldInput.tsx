import type { FieldSpec } from './schema'

interface FieldInputProps {
  field: FieldSpec
  value: string | boolean | undefined
  problems: readonly string[] | undefined
  onChange: (value: string | boolean) => void
}

const label = (name: string) => name.replaceAll('_', ' ')

/** One hyperparameter: text for numbers (so 1e-4 can be typed), a select for choices, a checkbox for flags. */
export function FieldInput({ field, value, problems, onChange }: FieldInputProps) {
  const id = `hp-${field.path}`
  const invalid = problems !== undefined && problems.length > 0
  const hint = field.note ?? field.description
  let control
  if (field.kind === 'boolean') {
    control = <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} data-testid={id} />
  } else if (field.kind === 'enum') {
    control = (
      <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} data-testid={id}>
        {field.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    )
  } else {
    control = (
      <input
        id={id}
        type="text"
        inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
        value={typeof value === 'string' ? value : ''}
        placeholder={field.nullable ? 'none' : undefined}
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
        data-testid={id}
      />
    )
  }
  return (
    <div className={`hp-field${field.kind === 'boolean' ? ' hp-flag' : ''}`} data-invalid={invalid || undefined}>
      <label htmlFor={id} title={field.description ?? undefined}>
        {label(field.name)}
      </label>
      {control}
      {hint !== null && <small className="hp-note">{hint}</small>}
      {problems?.map((message) => (
        <span key={message} className="field-problem" role="alert">
          {message}
        </span>
      ))}
    </div>
  )
}
