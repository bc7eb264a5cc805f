import type { SplitPreview } from '../api/types'
import type { PreviewState } from './readiness'
import { hasLeaks } from './readiness'
import { describeExample, describeLeak, PARTS } from './split'

function PreviewTable({ preview }: { preview: SplitPreview }) {
  const classes = [...new Set(PARTS.flatMap((part) => Object.keys(preview.parts[part]?.by_class ?? {})))].sort()
  const groups = PARTS.some((part) => Object.keys(preview.parts[part]?.by_group ?? {}).length > 0)
  return (
    <table className="data-table compact split-table" data-testid="split-preview">
      <thead>
        <tr>
          <th>Part</th>
          <th className="num">Items</th>
          {classes.map((name) => (
            <th key={name} className="num">{name}</th>
          ))}
          {groups && <th className="num">Groups</th>}
        </tr>
      </thead>
      <tbody>
        {PARTS.map((part) => {
          const summary = preview.parts[part]
          return (
            <tr key={part} data-part={part}>
              <td>{part}</td>
              <td className="num">{summary?.count ?? 0}</td>
              {classes.map((name) => (
                <td key={name} className="num">{summary?.by_class[name] ?? 0}</td>
              ))}
              {groups && <td className="num">{Object.keys(summary?.by_group ?? {}).length}</td>}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function Audit({ preview, override, onOverride }: {
  preview: SplitPreview
  override: { checked: boolean; reason: string }
  onOverride: (override: { checked: boolean; reason: string }) => void
}) {
  const { audit } = preview
  if (audit.clean || audit.leaks.length === 0) {
    return <p className="hp-valid" data-testid="leakage-audit">Leakage audit: clean.</p>
  }
  return (
    <div className="validation leakage" data-testid="leakage-audit" role="alert">
      <strong>Leakage audit: the parts share data</strong>
      <ul>
        {audit.leaks.map((leak) => (
          <li key={leak.kind + String((leak as { column?: string }).column)}>
            {describeLeak(leak)}
            {leak.examples.length > 0 && (
              <ul className="leak-examples">
                {leak.examples.slice(0, 5).map((example, i) => (
                  <li key={i}><code>{describeExample(example)}</code></li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      <label className="override">
        <input type="checkbox" data-testid="leak-override" checked={override.checked} onChange={(e) => onOverride({ ...override, checked: e.target.checked })} />
        Start anyway
      </label>
      {override.checked && (
        <input
          type="text"
          className="override-reason"
          data-testid="leak-reason"
          placeholder="Why this split is acceptable (kept with the run)"
          value={override.reason}
          onChange={(e) => onOverride({ ...override, reason: e.target.value })}
        />
      )}
    </div>
  )
}

export function SplitPreviewView({ preview, override, onOverride }: {
  preview: PreviewState
  override: { checked: boolean; reason: string }
  onOverride: (override: { checked: boolean; reason: string }) => void
}) {
  if (preview.status === 'unavailable') {
    return (
      <p className="muted" data-testid="split-unavailable">
        This server has no split preview yet: the run holds out the validation fraction set below, stratified by class.
      </p>
    )
  }
  if (preview.status === 'error') return <p className="field-problem">Could not preview the split: {preview.error.message}</p>
  if (preview.status === 'idle') return <p className="muted">The preview appears once a dataset is chosen and the percentages add up to 100.</p>
  if (preview.status !== 'done') return <p className="muted">Previewing the split…</p>
  return (
    <>
      <PreviewTable preview={preview.value} />
      {preview.value.warnings.length > 0 && (
        <ul className="warnings">
          {preview.value.warnings.map((w, i) => (
            <li key={i}>{typeof w === 'string' ? w : w.message}</li>
          ))}
        </ul>
      )}
      <Audit preview={preview.value} override={override} onOverride={onOverride} />
      {hasLeaks(preview) && !override.checked && <p className="muted">Change the split (a group column, say) or start anyway with a reason.</p>}
    </>
  )
}
