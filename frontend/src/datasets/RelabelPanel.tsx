import { useState, type FormEvent } from 'react'
import { ApiError, api } from '../api/client'
import type { DatasetPublic } from '../api/types'
import { datasetPath, navigate } from '../router'
import { buildMapping, findMerges, initialEdits, problemsByClass, resultingCounts, type ClassEdit } from './relabel'

/** Rename, merge or drop classes into a new version; the page moves to it once stored. */
export function RelabelPanel({ dataset }: { dataset: DatasetPublic }) {
  const [edits, setEdits] = useState<ClassEdit[]>(() => initialEdits(dataset.classes))
  const [name, setName] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const mapping = buildMapping(edits)
  const changed = Object.keys(mapping).length > 0
  const merges = findMerges(edits)
  const after = resultingCounts(edits, dataset.class_counts)
  const problems = error?.status === 422 ? problemsByClass(error.problems) : {}
  const update = (label: string, change: Partial<ClassEdit>) =>
    setEdits((previous) => previous.map((edit) => (edit.label === label ? { ...edit, ...change } : edit)))

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setSending(true)
    try {
      const created = await api.relabel(dataset.id, { mapping, name: name.trim() || undefined })
      navigate(datasetPath(created.id))
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'client', String(caught)))
      setSending(false)
    }
  }

  const general = error === null ? [] : error.status === 422 ? (problems[''] ?? []) : [error.message]
  return (
    <section className="panel" data-testid="relabel-panel">
      <h2>New version by relabelling</h2>
      <p className="muted">
        Rename classes, give two classes one name to merge them, or drop a class. This dataset stays as it is.
      </p>
      <form onSubmit={(event) => void onSubmit(event)}>
        <table className="data-table compact relabel-table">
          <thead>
            <tr>
              <th>Class</th>
              <th className="num">Items</th>
              <th>New name</th>
              <th>Drop</th>
            </tr>
          </thead>
          <tbody>
            {edits.map((edit) => (
              <tr key={edit.label} data-class={edit.label} data-invalid={problems[edit.label] !== undefined || undefined}>
                <td>{edit.label}</td>
                <td className="num">{dataset.class_counts[edit.label] ?? 0}</td>
                <td>
                  <input
                    aria-label={`New name for ${edit.label}`}
                    name={`rename-${edit.label}`}
                    value={edit.name}
                    disabled={edit.drop}
                    onChange={(e) => update(edit.label, { name: e.target.value })}
                  />
                  {(problems[edit.label] ?? []).map((message, i) => (
                    <span key={i} className="field-problem" role="alert">
                      {message}
                    </span>
                  ))}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Drop ${edit.label}`}
                    name={`drop-${edit.label}`}
                    checked={edit.drop}
                    onChange={(e) => update(edit.label, { drop: e.target.checked })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {merges.length > 0 && (
          <ul className="merges" data-testid="relabel-merges">
            {merges.map((merge) => (
              <li key={merge.into} data-into={merge.into}>
                {merge.from.join(' + ')} merge into <strong>{merge.into}</strong> ({after[merge.into] ?? 0})
              </li>
            ))}
          </ul>
        )}
        {changed && (
          <p className="muted" data-testid="relabel-preview">
            New classes:{' '}
            {Object.entries(after)
              .map(([label, count]) => `${label} (${count})`)
              .join(', ') || 'none'}
          </p>
        )}
        {general.length > 0 && (
          <div className="error-box" role="alert" data-testid="relabel-error">
            <strong>The new version was not made</strong>
            {general.map((message, i) => (
              <p key={i}>{message}</p>
            ))}
          </div>
        )}
        <div className="actions">
          <label className="name-field">
            New version name
            <input
              name="relabel-name"
              value={name}
              maxLength={200}
              placeholder={`${dataset.name} (relabelled)`}
              onChange={(event) => setName(event.target.value)}
            />
          </label>
          <button type="submit" className="button" disabled={!changed || sending} title={changed ? undefined : 'Change at least one class'}>
            {sending ? 'Creating…' : 'Create version'}
          </button>
        </div>
      </form>
    </section>
  )
}
