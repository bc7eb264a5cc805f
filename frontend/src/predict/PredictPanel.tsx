import { useRef, useState, type ChangeEvent, type DragEvent } from 'react'
import { ApiError, predictApi } from '../api/client'
import type { FilePrediction, PredictionsPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { ProbabilityBars } from './ProbabilityBars'
import { ACCEPT, percent, uploadKind } from './predictFiles'
import { SaliencyView } from './SaliencyView'
import './predict.css'

type State =
  | { phase: 'idle' }
  | { phase: 'predicting'; file: File }
  | { phase: 'done'; file: File; result: PredictionsPublic }
  | { phase: 'failed'; file: File; error: ApiError }

function asApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason
  return new ApiError(0, 'client', reason instanceof Error ? reason.message : String(reason))
}

/** Drop an image, a recording or a zip of them on a trained model; see class probabilities. */
export function PredictPanel({ runId }: { runId: number }) {
  const [state, setState] = useState<State>({ phase: 'idle' })
  const [dragging, setDragging] = useState(false)
  const [saliency, setSaliency] = useState(false)
  const latest = useRef(0)
  const busy = state.phase === 'predicting'

  const take = async (file: File | undefined) => {
    if (file === undefined || busy) return
    const kind = uploadKind(file.name)
    if (kind === null) {
      const message = `Cannot predict '${file.name}': send an image, a recording (WAV, FLAC, OGG) or a zip of them.`
      setState({ phase: 'failed', file, error: new ApiError(422, 'unsupported', message) })
      return
    }
    const ticket = ++latest.current
    setState({ phase: 'predicting', file })
    try {
      const result = await predictApi.predict(runId, file, { saliency: saliency && kind !== 'zip' })
      if (ticket === latest.current) setState({ phase: 'done', file, result })
    } catch (reason) {
      if (ticket === latest.current) setState({ phase: 'failed', file, error: asApiError(reason) })
    }
  }
  const onDragOver = (event: DragEvent) => {
    event.preventDefault()
    event.dataTransfer.dropEffect = busy ? 'none' : 'copy'
    setDragging(true)
  }
  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    void take(event.dataTransfer.files[0])
  }
  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    void take(event.target.files?.[0])
    event.target.value = ''
  }

  return (
    <section className="predict-panel" aria-label="Predict" data-testid="predict-panel">
      <h2>Predict</h2>
      <div
        data-testid="predict-drop"
        className={`drop-zone${dragging ? ' dragging' : ''}${busy ? ' busy' : ''}`}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          <strong>Drop an image, a WAV recording or a zip of them here</strong> or{' '}
          <label className="file-pick">
            choose a file
            <input data-testid="predict-input" type="file" accept={ACCEPT} onChange={onPick} disabled={busy} />
          </label>
        </p>
        <p className="muted">
          A recording is rendered with the dataset's spectrogram recipe; its answer is the mean over its segments. A zip
          gets one row per file and a CSV download.
        </p>
        <label className="saliency-toggle">
          <input type="checkbox" checked={saliency} onChange={(e) => setSaliency(e.target.checked)} /> Show a Grad-CAM
          overlay (one image or recording)
        </label>
      </div>
      {state.phase === 'predicting' && (
        <p className="muted" aria-live="polite" data-testid="predict-busy">
          Predicting {state.file.name}…
        </p>
      )}
      {state.phase === 'failed' && <ErrorBox error={state.error} title={`Could not predict ${state.file.name}`} />}
      {state.phase === 'done' && <Result runId={runId} file={state.file} result={state.result} />}
    </section>
  )
}

function Result({ runId, file, result }: { runId: number; file: File; result: PredictionsPublic }) {
  const warm = result.cached ? 'model already loaded' : 'model loaded for this request'
  if (uploadKind(file.name) === 'zip') return <BatchResult runId={runId} file={file} result={result} note={warm} />
  const [prediction] = result.predictions
  if (prediction === undefined) return null
  return (
    <div className="predict-result" data-testid="predict-result">
      <p>
        <strong>{prediction.name}</strong>: <span data-testid="predicted-class">{prediction.predicted}</span>{' '}
        <span className="muted">({warm})</span>
      </p>
      <ProbabilityBars probabilities={prediction.probabilities} predicted={prediction.predicted} />
      {prediction.per_segment && <Segments prediction={prediction} />}
      {result.saliency && <SaliencyView saliency={result.saliency} />}
    </div>
  )
}

function Segments({ prediction }: { prediction: FilePrediction }) {
  const segments = prediction.per_segment ?? []
  return (
    <details className="segments">
      <summary>Mean of {segments.length} segment{segments.length === 1 ? '' : 's'}: each segment's answer</summary>
      <table>
        <thead>
          <tr>
            <th>Segment</th>
            <th>Time (s)</th>
            <th>Predicted</th>
            <th>Probability</th>
          </tr>
        </thead>
        <tbody>
          {segments.map((s) => (
            <tr key={s.index}>
              <td>{s.index + 1}</td>
              <td>
                {s.start_s.toFixed(2)}–{s.end_s.toFixed(2)}
              </td>
              <td>{s.predicted}</td>
              <td>{percent(s.probabilities[s.predicted] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

function BatchResult({ runId, file, result, note }: { runId: number; file: File; result: PredictionsPublic; note: string }) {
  const [error, setError] = useState<ApiError | null>(null)
  const download = async () => {
    setError(null)
    try {
      const blob = await predictApi.csv(runId, file)
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = `predictions-model-${runId}.csv`
      link.click()
      URL.revokeObjectURL(url)
    } catch (reason) {
      setError(asApiError(reason))
    }
  }
  return (
    <div className="predict-result" data-testid="predict-result">
      <p>
        {result.predictions.length} file{result.predictions.length === 1 ? '' : 's'} predicted{' '}
        <span className="muted">({note})</span>{' '}
        <button type="button" className="button" data-testid="predict-csv" onClick={() => void download()}>
          Download CSV
        </button>
      </p>
      {error !== null && <ErrorBox error={error} title="Could not download the CSV" />}
      <table className="batch-predictions">
        <thead>
          <tr>
            <th>File</th>
            <th>Predicted</th>
            {result.classes.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.predictions.map((p) => (
            <tr key={p.name}>
              <td>
                {p.name}
                {p.segments ? <span className="muted"> ({p.segments} segments)</span> : null}
              </td>
              <td>{p.predicted}</td>
              {result.classes.map((c) => (
                <td key={c}>{percent(p.probabilities[c] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {result.skipped.length > 0 && (
        <ul className="warnings" data-testid="predict-skipped">
          {result.skipped.map((s) => (
            <li key={s.name}>
              {s.name}: {s.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
