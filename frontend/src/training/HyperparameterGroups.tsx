import type { LocatedProblems, FormValues } from './form'
import { FieldInput } from './FieldInput'
import { shownFields, type FieldSpec, type FormGroup } from './schema'

interface GroupsProps {
  groups: readonly FormGroup[]
  /** Paths not shown (still sent): validation_fraction where the split panel replaces it. */
  hidden: ReadonlySet<string>
  values: FormValues
  problems: LocatedProblems
  onChange: (path: string, value: string | boolean) => void
  onChooseType: (key: string, type: string) => void
}

function TypeSelect({ group, value, problems, onChoose }: {
  group: FormGroup & { kind: 'variant' }
  value: string
  problems: readonly string[] | undefined
  onChoose: (type: string) => void
}) {
  const id = `hp-${group.key}.type`
  return (
    <div className="hp-field">
      <label htmlFor={id}>type</label>
      <select id={id} value={value} onChange={(e) => onChoose(e.target.value)} data-testid={id}>
        {group.types.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
      {problems?.map((message) => (
        <span key={message} className="field-problem" role="alert">
          {message}
        </span>
      ))}
    </div>
  )
}

/** Every group of the generated form; a variant group shows its type first, then that type's fields. */
export function HyperparameterGroups({ groups, hidden, values, problems, onChange, onChooseType }: GroupsProps) {
  const input = (field: FieldSpec) => (
    <FieldInput
      key={field.path}
      field={field}
      value={values[field.path]}
      problems={problems.byPath[field.path]}
      onChange={(value) => onChange(field.path, value)}
    />
  )
  return (
    <div className="hp-groups">
      {groups.map((group) => {
        const type = group.kind === 'variant' ? String(values[`${group.key}.type`] ?? '') : null
        const fields = shownFields(group, type).filter((f) => !hidden.has(f.path))
        const advanced = fields.filter((f) => f.advanced)
        if (fields.length === 0 && group.kind === 'fields') return null
        return (
          <fieldset key={group.key} className={`hp-group hp-group-${group.key}`}>
            <legend>{group.title}</legend>
            {group.kind === 'variant' && (
              <TypeSelect
                group={group}
                value={type ?? ''}
                problems={problems.byPath[`${group.key}.type`]}
                onChoose={(next) => onChooseType(group.key, next)}
              />
            )}
            {fields.filter((f) => !f.advanced).map(input)}
            {advanced.length > 0 && (
              // Keyed by whether a problem is inside, so a new problem opens it.
              <details key={String(advanced.some((f) => problems.byPath[f.path]))} open={advanced.some((f) => problems.byPath[f.path]) || undefined} className="hp-advanced">
                <summary>more settings ({advanced.map((f) => f.name.replaceAll('_', ' ')).join(', ')})</summary>
                {advanced.map(input)}
              </details>
            )}
          </fieldset>
        )
      })}
    </div>
  )
}
