import { useCallback, useState } from 'react'
import { api } from '../api/client'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { useLoad } from '../datasets/useLoad'
import { DEFAULT_CLASSES, newModelPath } from '../router'
import { nodeCount } from './graphs'

/** Starting points from GET /api/graph-templates: the paper's topologies and a small CNN, for N classes. */
export function TemplateCards() {
  const [classes, setClasses] = useState(DEFAULT_CLASSES)
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
            value={classes}
            onChange={(event) => setClasses(Math.max(2, Number(event.target.value) || DEFAULT_CLASSES))}
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
