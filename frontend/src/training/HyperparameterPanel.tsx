import type { HyperparameterCheck, HyperparameterPreset } from '../api/types'
import { describeFix, locateProblems, type FormValues } from './form'
import { HyperparameterGroups } from './HyperparameterGroups'
import type { FormSchema } from './schema'
import type { RequestState } from './useDebouncedRequest'

interface PanelProps {
  schema: FormSchema
  presets: readonly HyperparameterPreset[]
  preset: string | null
  hidden: ReadonlySet<string>
  values: FormValues
  check: RequestState<HyperparameterCheck>
  onPreset: (key: string) => void
  onChange: (path: string, value: string | boolean) => void
  onChooseType: (key: string, type: string) => void
  onFix: (fix: Readonly<Record<string, unknown>>) => void
}

function CheckStatus({ check }: { check: RequestState<HyperparameterCheck> }) {
  if (check.status === 'error') return <span className="field-problem">Could not check: {check.error.message}</span>
  if (check.status !== 'done') return <span className="muted">checking…</span>
  return check.value.valid ? <span className="hp-valid">valid</span> : <span className="field-problem">has problems</span>
}

export function HyperparameterPanel(props: PanelProps) {
  const { schema, presets, preset, values, check } = props
  const result = check.status === 'done' ? check.value : null
  const located = locateProblems(result?.problems ?? [], schema, values)
  const chosen = presets.find((p) => p.key === preset)
  return (
    <section className="panel hp-panel" data-testid="hyperparameters">
      <h2>
        Hyperparameters <CheckStatus check={check} />
      </h2>
      <div className="hp-preset">
        <label htmlFor="preset">Preset</label>
        <select id="preset" data-testid="preset" value={preset ?? ''} onChange={(e) => props.onPreset(e.target.value)}>
          {preset === null && <option value="">(edited)</option>}
          {presets.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
        {chosen !== undefined && <p className="hp-preset-description" data-testid="preset-description">{chosen.description}</p>}
      </div>
      {located.general.length > 0 && (
        <ul className="validation" role="alert" data-testid="hp-problems">
          {located.general.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {result !== null && result.warnings.length > 0 && (
        <ul className="warnings hp-warnings">
          {result.warnings.map((warning) => (
            <li key={warning.code} data-testid="hp-warning" data-code={warning.code}>
              <span>{warning.message}</span>
              {Object.keys(warning.fix).length > 0 && (
                <button type="button" className="button secondary" onClick={() => props.onFix(warning.fix)} title={`Set ${describeFix(warning.fix)}`}>
                  Apply fix: {describeFix(warning.fix)}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <HyperparameterGroups
        groups={schema.groups}
        hidden={props.hidden}
        values={values}
        problems={located}
        onChange={props.onChange}
        onChooseType={props.onChooseType}
      />
    </section>
  )
}
