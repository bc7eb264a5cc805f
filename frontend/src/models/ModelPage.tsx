import { useState } from 'react'
import type { ApiError } from '../api/client'
import type { GraphPublic, GraphVersionPublic } from '../api/types'
import { LazyCanvasEditor as CanvasEditor } from './LazyCanvasEditor'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { modelPath, modelsPath, navigate, trainPath } from '../router'
import { CodeDialog } from './CodeDialog'
import { HistoryPanel } from './HistoryPanel'
import { ModelHeader } from './ModelHeader'
import { useDirty } from './useDirty'
import { useHistoryActions } from './useHistoryActions'
import { useModel } from './useModel'
import './models.css'

function ModelMissing({ id, error }: { id: number; error: ApiError }) {
  return (
    <section className="page" data-testid="model-error">
      <ErrorBox error={error} title={error.status === 404 ? `Model ${id} not found` : `Could not open model ${id}`} />
      <p>
        <Link to={modelsPath}>Back to models</Link>
      </p>
    </section>
  )
}

/** Editing a stored model from one of its versions, with its history beside the canvas. */
export function ModelPage({ id, versionId }: { id: number; versionId: number | null }) {
  const { graph, version, error, show } = useModel(id, versionId)
  if (graph === null || version === null) {
    if (error !== null) return <ModelMissing id={id} error={error} />
    return <p className="muted page">Loading model…</p>
  }
  return <ModelEditing graph={graph} version={version} error={error} show={show} />
}

interface ModelEditingProps {
  graph: GraphPublic
  version: GraphVersionPublic
  /** A failed load of another version, while this one stays on screen. */
  error: ApiError | null
  show: (graph: GraphPublic, version: GraphVersionPublic) => void
}

function ModelEditing({ graph, version, error, show }: ModelEditingProps) {
  const { id } = graph
  const { dirty, setDirty, confirmDiscard } = useDirty()
  const [historyOpen, setHistoryOpen] = useState(false)
  const [codeOpen, setCodeOpen] = useState(false)
  const edit = (nextGraph: GraphPublic, next: GraphVersionPublic) => {
    setDirty(false)
    show(nextGraph, next)
    // The URL names no version once the canvas holds the latest, so a reload keeps it.
    navigate(next.id === nextGraph.latest_version.id ? modelPath(id) : modelPath(id, next.id), { replace: true })
  }
  const onSaved = (saved: GraphPublic | null, next: GraphVersionPublic) => {
    edit(saved ?? { ...graph, latest_version: next }, next)
  }
  const actions = useHistoryActions({ graph, version, edit, confirmDiscard, setDirty })
  return (
    <section className="page model-page">
      <ModelHeader name={graph.name} version={version} latestVersion={graph.latest_version.version} dirty={dirty}>
        {/* Runs train saved versions, never the draft: the leave guard asks about unsaved edits. */}
        <Link to={trainPath(version.id)} className="button">
          Train v{version.version}
        </Link>
        <button type="button" className="button secondary" onClick={() => setCodeOpen(true)}>
          View code
        </button>
        <button type="button" className="button secondary" aria-expanded={historyOpen} onClick={() => setHistoryOpen((open) => !open)}>
          History
        </button>
      </ModelHeader>
      {error !== null && <ErrorBox error={error} title="Could not open that version" />}
      {actions.error !== null && <ErrorBox error={actions.error} title="The history action failed" />}
      <div className="model-workspace">
        <div className="model-editor">
          <CanvasEditor key={`${version.id}:${actions.reopened}`} graphId={id} version={version} onSaved={onSaved} onDirtyChange={setDirty} />
        </div>
        {historyOpen && (
          <HistoryPanel
            key={graph.latest_version.id}
            graphId={id}
            currentVersionId={version.id}
            busy={actions.busy}
            onOpen={actions.onOpen}
            onRestore={actions.onRestore}
            onFork={actions.onFork}
          />
        )}
      </div>
      {codeOpen && <CodeDialog modelName={graph.name} version={version} dirty={dirty} onClose={() => setCodeOpen(false)} />}
    </section>
  )
}
