import { useCallback, useMemo } from 'react'
import { api } from '../api/client'
import type { DatasetPublic } from '../api/types'
import { usePolling } from '../api/usePolling'
import { ErrorBox } from '../components/ErrorBox'
import { datasetPath, navigate } from '../router'
import { DatasetsTable } from './DatasetsTable'
import { UploadArea } from './UploadArea'
import { chunkSizeFrom } from './uploadPlan'

const DATASETS_INTERVAL_MS = 5_000

export function DatasetsPage() {
  const { data, error } = usePolling(api.datasets, DATASETS_INTERVAL_MS)
  const chunkBytes = useMemo(() => chunkSizeFrom(window.location.search), [])
  const onStored = useCallback((dataset: DatasetPublic) => navigate(datasetPath(dataset.id)), [])
  return (
    <section className="page">
      <div className="page-title">
        <h1>Datasets</h1>
        {data !== null && <span className="muted">{data.count} total</span>}
      </div>
      <UploadArea chunkBytes={chunkBytes} onStored={onStored} />
      {error !== null && <ErrorBox error={error} title="Could not load datasets" />}
      {data === null && error === null && <p className="muted">Loading datasets…</p>}
      {data !== null &&
        (data.data.length === 0 ? (
          <p className="muted" data-testid="datasets-empty">
            No datasets yet: drop a zip above, of images (class folders and/or a CSV) or of audio recordings (WAV, FLAC,
            OGG, MP3 in class folders or a CSV, or a RAVDESS or EMO-DB folder) to convert to spectrograms.
          </p>
        ) : (
          <DatasetsTable datasets={data.data} />
        ))}
    </section>
  )
}
