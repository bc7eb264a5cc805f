import type { SplitForm, SplitCheck } from './split'
import { PARTS } from './split'
import { SplitPreviewView } from './SplitPreviewView'
import type { PreviewState } from './readiness'

interface SplitPanelProps {
  form: SplitForm
  check: SplitCheck
  columns: readonly string[]
  preview: PreviewState
  override: { checked: boolean; reason: string }
  onChange: (form: SplitForm) => void
  onOverride: (override: { checked: boolean; reason: string }) => void
}

function Percent({ part, form, problem, onChange }: {
  part: (typeof PARTS)[number]
  form: SplitForm
  problem: string | undefined
  onChange: (form: SplitForm) => void
}) {
  const id = `split-${part}`
  return (
    <div className="hp-field" data-invalid={problem !== undefined || undefined}>
      <label htmlFor={id}>{part} %</label>
      <input id={id} data-testid={id} type="text" inputMode="decimal" value={form[part]} onChange={(e) => onChange({ ...form, [part]: e.target.value })} />
      {problem !== undefined && <span className="field-problem">{problem}</span>}
    </div>
  )
}

export function SplitPanel({ form, check, columns, preview, override, onChange, onOverride }: SplitPanelProps) {
  return (
    <section className="panel split-panel" data-testid="split">
      <h2>Split</h2>
      <div className="split-fields">
        <div className="hp-field">
          <label htmlFor="split-method">method</label>
          <select id="split-method" value={form.method} onChange={(e) => onChange({ ...form, method: e.target.value as SplitForm['method'] })}>
            <option value="percentages">percentages of all items</option>
            <option value="fixed_test">the dataset’s own test.csv as test</option>
          </select>
        </div>
        {PARTS.map((part) => (
          <Percent key={part} part={part} form={form} problem={check.problems[part]} onChange={onChange} />
        ))}
        <div className="hp-field hp-flag">
          <label htmlFor="split-stratify">stratify by class</label>
          <input id="split-stratify" type="checkbox" checked={form.stratify} onChange={(e) => onChange({ ...form, stratify: e.target.checked })} />
        </div>
        <div className="hp-field">
          <label htmlFor="split-group">keep groups together</label>
          <select id="split-group" data-testid="split-group" value={form.groupBy} onChange={(e) => onChange({ ...form, groupBy: e.target.value })}>
            <option value="">(no grouping)</option>
            {columns.map((column) => (
              <option key={column} value={column}>
                {column}
              </option>
            ))}
          </select>
        </div>
        <div className="hp-field" data-invalid={check.problems.seed !== undefined || undefined}>
          <label htmlFor="split-seed">seed</label>
          <input id="split-seed" type="text" inputMode="numeric" value={form.seed} onChange={(e) => onChange({ ...form, seed: e.target.value })} />
          {check.problems.seed !== undefined && <span className="field-problem">{check.problems.seed}</span>}
        </div>
      </div>
      {form.method === 'fixed_test' && (
        <p className="muted">The test part is the dataset’s own test.csv; train and validation share the rest in the ratio train : validation.</p>
      )}
      {check.problems.sum !== undefined && (
        <p className="field-problem" role="alert" data-testid="split-sum-problem">
          {check.problems.sum}
        </p>
      )}
      <SplitPreviewView preview={preview} override={override} onOverride={onOverride} />
    </section>
  )
}
