import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { DatasetPublic, GraphPublic, GraphVersionPublic } from '../api/types'

interface SourcePickerProps {
  graphs: readonly GraphPublic[]
  datasets: readonly DatasetPublic[]
  versionId: number | null
  datasetId: number | null
  onVersion: (id: number | null) => void
  onDataset: (id: number | null) => void
}

/** The graph a version belongs to: from the list when it is a latest version, else asked for. */
function useGraphOf(versionId: number | null, graphs: readonly GraphPublic[]) {
  const listed = graphs.find((g) => g.latest_version.id === versionId)?.id ?? null
  const [asked, setAsked] = useState<{ versionId: number; graphId: number | null } | null>(null)
  useEffect(() => {
    if (versionId === null || listed !== null) return
    const controller = new AbortController()
    api.graphVersion(versionId, controller.signal).then(
      (version) => setAsked({ versionId, graphId: version.graph_id }),
      () => setAsked({ versionId, graphId: null }),
    )
    return () => controller.abort()
  }, [versionId, listed])
  return listed ?? (asked !== null && asked.versionId === versionId ? asked.graphId : null)
}

function useVersions(graphId: number | null): GraphVersionPublic[] {
  const [versions, setVersions] = useState<{ graphId: number | null; list: GraphVersionPublic[] }>({ graphId: null, list: [] })
  useEffect(() => {
    if (graphId === null) return
    const controller = new AbortController()
    api.graphVersions(graphId, controller.signal).then(
      (page) => setVersions({ graphId, list: page.data }),
      () => setVersions({ graphId, list: [] }),
    )
    return () => controller.abort()
  }, [graphId])
  return versions.graphId === graphId ? versions.list : []
}

const toId = (value: string) => (value === '' ? null : Number(value))

export function SourcePicker({ graphs, datasets, versionId, datasetId, onVersion, onDataset }: SourcePickerProps) {
  const graphId = useGraphOf(versionId, graphs)
  const versions = useVersions(graphId)
  const chooseGraph = (id: number | null) => onVersion(graphs.find((g) => g.id === id)?.latest_version.id ?? null)
  const dataset = datasets.find((d) => d.id === datasetId)
  return (
    <section className="panel source-picker">
      <h2>Model and data</h2>
      <div className="split-fields">
        <div className="hp-field">
          <label htmlFor="train-model">model</label>
          <select id="train-model" data-testid="train-model" value={graphId ?? ''} onChange={(e) => chooseGraph(toId(e.target.value))}>
            <option value="">choose a model…</option>
            {graphs.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div className="hp-field">
          <label htmlFor="train-version">version</label>
          <select id="train-version" data-testid="train-version" value={versionId ?? ''} disabled={graphId === null} onChange={(e) => onVersion(toId(e.target.value))}>
            {versions.length === 0 && versionId !== null && <option value={versionId}>version id {versionId}</option>}
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                v{v.version}
                {v.message ? ` — ${v.message}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="hp-field">
          <label htmlFor="train-dataset">dataset</label>
          <select id="train-dataset" data-testid="train-dataset" value={datasetId ?? ''} onChange={(e) => onDataset(toId(e.target.value))}>
            <option value="">choose a dataset…</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.num_items} items, {d.classes.length} classes)
              </option>
            ))}
          </select>
        </div>
      </div>
      {graphs.length === 0 && <p className="muted">No saved models yet: make one on the Models page.</p>}
      {dataset?.kind === 'audio' && <p className="field-problem">Audio datasets train after conversion to spectrograms: pick the converted dataset.</p>}
    </section>
  )
}
