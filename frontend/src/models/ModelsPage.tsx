import { api } from '../api/client'
import { usePolling } from '../api/usePolling'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { newModelPath } from '../router'
import { ImportKeras } from './ImportKeras'
import { ModelsTable } from './ModelsTable'
import { TemplateCards } from './TemplateCards'
import './models.css'

const MODELS_INTERVAL_MS = 5_000

export function ModelsPage() {
  const { data, error } = usePolling(api.graphs, MODELS_INTERVAL_MS)
  return (
    <section className="page">
      <div className="page-title">
        <h1>Models</h1>
        {data !== null && <span className="muted">{data.count} total</span>}
        <Link to={newModelPath()} className="button">
          New model
        </Link>
      </div>
      <ImportKeras />
      {error !== null && <ErrorBox error={error} title="Could not load models" />}
      {data === null && error === null && <p className="muted">Loading models…</p>}
      {data !== null &&
        (data.data.length === 0 ? (
          <p className="muted" data-testid="models-empty">
            No models yet: start from a template below, or from an empty canvas with New model.
          </p>
        ) : (
          <ModelsTable graphs={data.data} />
        ))}
      <TemplateCards />
    </section>
  )
}
