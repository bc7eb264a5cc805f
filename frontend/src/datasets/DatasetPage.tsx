import { useCallback, useState } from 'react'
import { api } from '../api/client'
import type { DatasetItemPublic, DatasetPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { formatDateTime } from '../format'
import { AudioSummary } from './AudioSummary'
import { ClassChart } from './ClassChart'
import { ConvertPanel } from './ConvertPanel'
import { DerivedFrom } from './DerivedFrom'
import { EarlierConversions } from './EarlierConversions'
import { GroupTables } from './GroupTables'
import { ImageSummary } from './ImageSummary'
import { ItemDialog } from './ItemDialog'
import { RecordingList } from './RecordingList'
import { RelabelPanel } from './RelabelPanel'
import { ThumbnailGrid } from './ThumbnailGrid'
import { useLoad } from './useLoad'

function Facts({ dataset }: { dataset: DatasetPublic }) {
  const columns = dataset.report?.columns
  return (
    <dl className="details" data-testid="dataset-details">
      <div>
        <dt>Source file</dt>
        <dd>{dataset.source_filename ?? '—'}</dd>
      </div>
      <div>
        <dt>Kind</dt>
        <dd data-testid="dataset-kind">{dataset.kind ?? 'image'}</dd>
      </div>
      <div>
        <dt>{isAudio(dataset) ? 'Recordings' : 'Images'}</dt>
        <dd>{dataset.num_items}</dd>
      </div>
      <div>
        <dt>Classes</dt>
        <dd>{dataset.classes.length}</dd>
      </div>
      <div>
        <dt>Labels from</dt>
        <dd>{dataset.report?.source ?? '—'}</dd>
      </div>
      {columns?.path !== undefined && (
        <div>
          <dt>Columns</dt>
          <dd>
            path <code>{columns.path}</code>, label <code>{columns.label ?? '—'}</code>
          </dd>
        </div>
      )}
      <div>
        <dt>Created</dt>
        <dd>{formatDateTime(dataset.created_at)}</dd>
      </div>
      <div>
        <dt>Content hash</dt>
        <dd>
          <code title={dataset.content_hash}>{dataset.content_hash?.slice(0, 12) ?? '—'}</code>
        </dd>
      </div>
    </dl>
  )
}

const isAudio = (dataset: DatasetPublic) => dataset.kind === 'audio'

function Groups({ dataset }: { dataset: DatasetPublic }) {
  const load = useCallback((signal: AbortSignal) => api.datasetGroups(dataset.id, signal), [dataset.id])
  const { data, error } = useLoad(load)
  if (error !== null) return <ErrorBox error={error} title="Could not load the metadata groups" />
  if (data === null) return <p className="muted">Loading groups…</p>
  return <GroupTables groups={data} classes={dataset.classes} />
}

function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null
  return (
    <div className="warnings" data-testid="dataset-warnings">
      <strong>Warnings</strong>
      <ul>
        {warnings.map((warning, i) => (
          <li key={i}>{warning}</li>
        ))}
      </ul>
    </div>
  )
}

/** Recordings instead of images: the audio summary, a playable list per class, and the conversion form. */
function ExploreAudio({ dataset }: { dataset: DatasetPublic }) {
  return (
    <>
      <h2>Recordings per class</h2>
      <ClassChart classes={dataset.classes} counts={dataset.class_counts} />
      <h2>Per metadata group</h2>
      <Groups dataset={dataset} />
      <h2>Audio</h2>
      <AudioSummary report={dataset.report} />
      <ConvertPanel dataset={dataset} />
      <EarlierConversions datasetId={dataset.id} />
      <RelabelPanel dataset={dataset} />
      <h2>Recordings</h2>
      {dataset.classes.map((label) => (
        <RecordingList key={label} datasetId={dataset.id} label={label} total={dataset.class_counts[label] ?? 0} />
      ))}
    </>
  )
}

function Explore({ dataset }: { dataset: DatasetPublic }) {
  return (
    <>
      <div className="page-title">
        <h1>{dataset.name}</h1>
        <span className="muted">dataset {dataset.id}</span>
        {isAudio(dataset) && <span className="badge badge-kind">audio</span>}
      </div>
      <DerivedFrom dataset={dataset} />
      <Facts dataset={dataset} />
      <Warnings warnings={dataset.report?.warnings ?? []} />
      {isAudio(dataset) ? <ExploreAudio dataset={dataset} /> : <ExploreImages dataset={dataset} />}
    </>
  )
}

function ExploreImages({ dataset }: { dataset: DatasetPublic }) {
  const [open, setOpen] = useState<DatasetItemPublic | null>(null)
  return (
    <>
      <h2>Images per class</h2>
      <ClassChart classes={dataset.classes} counts={dataset.class_counts} />
      <h2>Per metadata group</h2>
      <Groups dataset={dataset} />
      <h2>Image sizes and modes</h2>
      <ImageSummary report={dataset.report} />
      <RelabelPanel dataset={dataset} />
      <h2>Images</h2>
      {dataset.classes.map((label) => (
        <ThumbnailGrid
          key={label}
          datasetId={dataset.id}
          label={label}
          total={dataset.class_counts[label] ?? 0}
          onOpen={setOpen}
        />
      ))}
      {open !== null && <ItemDialog key={open.id} datasetId={dataset.id} item={open} onClose={() => setOpen(null)} />}
    </>
  )
}

export function DatasetPage({ id }: { id: number }) {
  const load = useCallback((signal: AbortSignal) => api.dataset(id, signal), [id])
  const { data, error } = useLoad(load)
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/datasets">← Datasets</Link>
      </p>
      {error !== null && <ErrorBox error={error} title={`Could not load dataset ${id}`} />}
      {data === null && error === null && <p className="muted">Loading dataset…</p>}
      {data !== null && <Explore dataset={data} />}
    </section>
  )
}
