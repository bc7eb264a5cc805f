import { useEffect, useState } from 'react'
import { ApiError, trainingApi } from '../api/client'
import type { RunCreate } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { navigate, runPath, trainPath } from '../router'
import { toHyperparameters } from './form'
import { HyperparameterPanel } from './HyperparameterPanel'
import { hasLeaks, trainBlockers, type PreviewState } from './readiness'
import { SourcePicker } from './SourcePicker'
import { checkSplit, DEFAULT_SPLIT } from './split'
import { SplitPanel } from './SplitPanel'
import { useDebouncedRequest } from './useDebouncedRequest'
import { useHyperparameterForm } from './useHyperparameterForm'
import { useGroupColumns, useTrainingData, type TrainingData } from './useTrainingData'
import './training.css'

const CHECK_DELAY_MS = 300
const NOTHING_HIDDEN: ReadonlySet<string> = new Set()
// The worker trains on the run's split where there is one; the hold-out share then means nothing.
const SPLIT_REPLACES: ReadonlySet<string> = new Set(['validation_fraction'])

interface TrainPageProps {
  graphVersionId: number | null
  datasetId: number | null
}

function TrainForm({ data, initial }: { data: TrainingData; initial: TrainPageProps }) {
  const [versionId, setVersionId] = useState(initial.graphVersionId)
  const [datasetId, setDatasetId] = useState(initial.datasetId)
  const [splitForm, setSplitForm] = useState(DEFAULT_SPLIT)
  const [override, setOverride] = useState({ checked: false, reason: '' })
  const [submit, setSubmit] = useState<{ busy: boolean; error: ApiError | null }>({ busy: false, error: null })
  const form = useHyperparameterForm(data.schema, data.presets)
  const columns = useGroupColumns(datasetId)

  // The URL names the choices, so a reload or a shared link keeps them.
  useEffect(() => window.history.replaceState(null, '', trainPath(versionId, datasetId)), [versionId, datasetId])

  const hyperparameters = toHyperparameters(data.schema, form.values)
  const checkBody = { hyperparameters, ...(datasetId !== null && { dataset_id: datasetId }) }
  const check = useDebouncedRequest(JSON.stringify(checkBody), (signal) => trainingApi.check(checkBody, signal), CHECK_DELAY_MS)
  const split = checkSplit(splitForm)
  const previewBody = datasetId !== null && split.split !== null ? { dataset_id: datasetId, split: split.split } : null
  const previewRequest = useDebouncedRequest(
    data.splits && previewBody !== null ? JSON.stringify(previewBody) : null,
    (signal) => trainingApi.splitPreview(previewBody!, signal),
    CHECK_DELAY_MS,
  )
  const preview: PreviewState = data.splits ? previewRequest : { status: 'unavailable' }
  const blockers = trainBlockers({ graphVersionId: versionId, datasetId, check, split, preview, override })

  const start = async () => {
    if (versionId === null || datasetId === null) return
    const body: RunCreate = { graph_version_id: versionId, dataset_id: datasetId, hyperparameters }
    if (data.splits && split.split !== null) body.split = split.split
    if (hasLeaks(preview) && override.checked) body.leakage_override = override.reason.trim()
    setSubmit({ busy: true, error: null })
    try {
      const run = await trainingApi.createRun(body)
      navigate(runPath(run.id))
    } catch (reason) {
      const error = reason instanceof ApiError ? reason : new ApiError(0, 'client', String(reason))
      setSubmit({ busy: false, error })
    }
  }

  return (
    <>
      <SourcePicker
        graphs={data.graphs}
        datasets={data.datasets}
        versionId={versionId}
        datasetId={datasetId}
        onVersion={setVersionId}
        onDataset={setDatasetId}
      />
      <HyperparameterPanel
        schema={data.schema}
        presets={data.presets}
        preset={form.preset}
        hidden={data.splits ? SPLIT_REPLACES : NOTHING_HIDDEN}
        values={form.values}
        check={check}
        onPreset={form.choosePreset}
        onChange={form.change}
        onChooseType={form.changeType}
        onFix={form.fix}
      />
      <SplitPanel
        form={splitForm}
        check={split}
        columns={columns}
        preview={preview}
        override={override}
        onChange={setSplitForm}
        onOverride={setOverride}
      />
      <div className="train-actions">
        <button type="button" className="button" data-testid="train-button" disabled={blockers.length > 0 || submit.busy} onClick={() => void start()}>
          {submit.busy ? 'Starting…' : 'Train'}
        </button>
        {blockers.length > 0 && (
          <ul className="train-blockers" data-testid="train-blockers">
            {blockers.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
      </div>
      {submit.error !== null && <ErrorBox error={submit.error} title="The run was not started" />}
    </>
  )
}

export function TrainPage(props: TrainPageProps) {
  const { data, error } = useTrainingData()
  return (
    <section className="page train-page">
      <div className="page-title">
        <h1>Train a model</h1>
      </div>
      {error !== null && <ErrorBox error={error} title="Could not load the training page" />}
      {data === null && error === null && <p className="muted">Loading…</p>}
      {data !== null && <TrainForm data={data} initial={props} />}
    </section>
  )
}
