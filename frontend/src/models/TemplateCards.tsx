import { useCallback, useState } from 'react'
import { api } from '../api/client'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { useLoad } from '../datasets/useLoad'
import { DEFAULT_CLASSES, newModelPath } from '../router'
import { classCount, nodeCount } from './graphs'

/** Starting points from GET /api/graph-templates: the paper's topologies and a small CNN, for N classes. */
export function TemplateCards() {
  // The text as typed, so clearing the box to type another number does not snap back.
  const [text, setText] = useState(String(DEFAULT_CLASSES))
  const classes = classCount(text)
  const load = useCallback((signal: AbortSignal) => api.graphTemplates(classes, signal), [classes])
  const { data, error } = useLoad(load)
  return (
    <section className="template-section" data-testid="templates">
      <div className="page-title">
        <h2>Start from a template</h2>
        <label className="muted">
          Output classes{' '}
          <input
            type="number"
            min={2}
            max={1000}
            value={text}
            onChange={(event) => setText(event.target.value)}
            className="classes-input"
          />
        </label>
      </div>
      {error !== null && <ErrorBox error={error} title="Could not load the templates" />}
      {data === null && error === null && <p className="muted">Loading templates…</p>}
      <div className="template-cards">
        {data?.map((template) => (
          <Link key={template.id} to={newModelPath(template.id, classes)} className="template-card">
            <strong data-testid={`template-${template.id}`}>{template.name}</strong>
            <span className="muted">{template.description}</span>
            <span className="muted">{nodeCount(template.graph)} nodes</span>
          </Link>
        ))}
      </div>
    </section>
  )
}
