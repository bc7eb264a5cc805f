import { useState } from 'react'
import { ApiError, setRunTags } from '../api/client'
import { ErrorBox } from '../components/ErrorBox'

const chip = { display: 'inline-flex', alignItems: 'center', gap: '0.3rem', padding: '0.1rem 0.5rem', borderRadius: '999px', background: '#e0e7ff', fontSize: '0.85rem' }
const remove = { border: 'none', background: 'none', cursor: 'pointer', fontSize: '1rem', lineHeight: 1 }

/** The run's tags: annotations for finding it later (the compare table filters by them), so
 * unlike the rest of a run they may change at any time. The server checks each tag. */
export function RunTags({ runId, initial }: { runId: number; initial: readonly string[] }) {
  const [tags, setTags] = useState<readonly string[]>(initial)
  const [draft, setDraft] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const save = async (next: readonly string[]) => {
    setSaving(true)
    setError(null)
    try {
      const run = await setRunTags(runId, next)
      setTags(run.tags ?? next)
      setDraft('')
    } catch (reason) {
      setError(reason instanceof ApiError ? reason : new ApiError(0, 'client', String(reason)))
    } finally {
      setSaving(false)
    }
  }
  const add = () => {
    const tag = draft.trim()
    if (tag === '') return
    if (tags.includes(tag)) setDraft('')
    else void save([...tags, tag])
  }

  return (
    <section className="run-tags" data-testid="run-tags" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem', alignItems: 'center', margin: '0.5rem 0' }}>
      <strong>Tags</strong>
      {tags.length === 0 && <span className="muted">none</span>}
      {tags.map((tag) => (
        <span key={tag} style={chip} data-testid="run-tag">
          {tag}
          <button type="button" style={remove} aria-label={`Remove tag ${tag}`} disabled={saving} onClick={() => void save(tags.filter((t) => t !== tag))}>×</button>
        </span>
      ))}
      <input
        type="text"
        aria-label="Add a tag"
        placeholder="add a tag, Enter"
        maxLength={40}
        value={draft}
        disabled={saving}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            add()
          }
        }}
      />
      {error !== null && <ErrorBox error={error} title="Could not save the tags" />}
    </section>
  )
}
