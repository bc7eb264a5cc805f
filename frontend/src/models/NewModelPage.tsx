import { useCallback, useMemo } from 'react'
import { ApiError, api } from '../api/client'
import type { GraphPublic, GraphVersionPublic } from '../api/types'
import { LazyCanvasEditor as CanvasEditor } from './LazyCanvasEditor'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { useLoad } from '../datasets/useLoad'
import { modelPath, modelsPath, navigate } from '../router'
import { templateVersion } from './graphs'
import { ModelHeader } from './ModelHeader'
import { useDirty } from './useDirty'
import './models.css'

/** The template's graph as the editor's start; null for an empty canvas. */
function useStart(template: string | null, classes: number) {
  const load = useCallback(
    async (signal: AbortSignal) => {
      if (template === null) return null
      const found = (await api.graphTemplates(classes, signal)).find((candidate) => candidate.id === template)
      if (found === undefined) throw new ApiError(404, 'not_found', `There is no template "${template}"`)
      return found
    },
    [template, classes],
  )
  return useLoad(load)
}

/** A model not saved yet: the editor's first save creates it, then the page becomes its model page. */
export function NewModelPage({ template, classes }: { template: string | null; classes: number }) {
  const { data, error } = useStart(template, classes)
  const { dirty, setDirty } = useDirty()
  // One object per template, so the editor does not see a new start on every render.
  const start = useMemo(() => (data === null ? null : templateVersion(data)), [data])
  const onSaved = (graph: GraphPublic | null, version: GraphVersionPublic) => {
    setDirty(false)
    // Replace, so Back goes to the list rather than to an empty editor for a model that now exists.
    navigate(modelPath(graph?.id ?? version.graph_id), { replace: true })
  }
  if (error !== null) {
    return (
      <section className="page" data-testid="model-error">
        <ErrorBox error={error} title="Could not start from that template" />
        <Link to={modelsPath}>Back to models</Link>
      </section>
    )
  }
  if (template !== null && data === null) return <p className="muted page">Loading the template…</p>
  return (
    <section className="page model-page">
      <ModelHeader name={data?.name ?? 'New model'} version={null} latestVersion={null} dirty={dirty} />
      {data !== null && <p className="muted">{data.description}</p>}
      <div className="model-workspace">
        <div className="model-editor">
          <CanvasEditor
            key="new"
            graphId={null}
            version={start}
            onSaved={onSaved}
            onDirtyChange={setDirty}
          />
        </div>
      </div>
    </section>
  )
}
