import { useCallback, useEffect, useState } from 'react'
import { api, ApiError } from '../api/client'
import { isTerminal, type RunPublic, type RunStatus } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { formatNumber } from '../format'
import { Link } from '../components/Link'
import { StatusBadge } from '../components/StatusBadge'
import { bestEpoch } from './bestEpoch'
import { CancelButton } from './CancelButton'
import { Downloads } from './Downloads'
import { EpochTable } from './EpochTable'
import { EvaluationPanel } from './EvaluationPanel'
import { MetricChart, type SeriesSpec } from './MetricChart'
import { RunDetails } from './RunDetails'
import { RunTags } from './RunTags'
import { RunLog } from './RunLog'
import { overallProgress } from './progress'
import { RunProgress } from './RunProgress'
import { PredictPanel } from '../predict/PredictPanel'
import type { RunStreamState } from './runState'
import { useRunStream, type Connection } from './useRunStream'
import './runs.css'

const LOSS_SERIES: SeriesSpec[] = [
  { key: 'loss', label: 'loss', color: '#2563eb' },
  { key: 'val_loss', label: 'val_loss', color: '#ea580c', dash: [6, 4] },
]
const ACCURACY_SERIES: SeriesSpec[] = [
  { key: 'accuracy', label: 'accuracy', color: '#2563eb' },
  { key: 'val_accuracy', label: 'val_accuracy', color: '#ea580c', dash: [6, 4] },
]
const RATE_SERIES: SeriesSpec[] = [{ key: 'learning_rate', label: 'learning rate', color: '#7c3aed' }]
const rateTick = (value: number) => formatNumber(Number(value.toPrecision(3)))
const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'connecting to live updates…',
  open: 'live',
  reconnecting: 'connection lost, reconnecting…',
  closed: '',
}

/**
 * The run record, fetched again whenever the streamed status changes: the
 * worker saves the model and error before it publishes the terminal status.
 */
function useRun(id: number, streamedStatus: RunStatus | null) {
  const [run, setRun] = useState<RunPublic | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const load = useCallback((signal: AbortSignal) => api.run(id, signal), [id])
  useEffect(() => {
    const controller = new AbortController()
    load(controller.signal).then(
      (value) => {
        setRun(value)
        setError(null)
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return
        setError(reason instanceof ApiError ? reason : new ApiError(0, 'client', String(reason)))
      },
    )
    return () => controller.abort()
  }, [load, streamedStatus])
  return { run, error }
}

/** A page opened mid-epoch shows the run row's last batch progress until the stream sends one. */
function withStoredProgress(state: RunStreamState, run: RunPublic): RunStreamState {
  const stored = run.progress
  if (state.progress !== null || !stored) return state
  const { epoch, batch, batches } = stored
  return { ...state, progress: { epoch, batch, batches, etaSeconds: stored.eta_seconds ?? null } }
}

export function RunPage({ id }: { id: number }) {
  const { state, connection, close } = useRunStream(id)
  const { run, error } = useRun(id, state.status)
  const finished = run !== null && isTerminal(run.status)
  // A finished run whose history holds no terminal event would otherwise reconnect forever.
  useEffect(() => {
    if (finished && connection === 'reconnecting') close()
  }, [finished, connection, close])

  if (run === null) {
    return (
      <section className="page">
        <p>
          <Link to="/">← All runs</Link>
        </p>
        {error !== null ? <ErrorBox error={error} title={`Could not load run ${id}`} /> : <p className="muted">Loading run…</p>}
      </section>
    )
  }

  // A run the server already called finished stays finished: replaying its history (queued,
  // running, ...) must not unmount the panels of a finished run, or a prediction under way.
  const status = isTerminal(run.status) ? run.status : (state.status ?? run.status)
  const progress = overallProgress(withStoredProgress(state, run), run.hyperparameters.epochs, run.epochs_completed)
  const best = bestEpoch(state.epochs)
  const hasRate = state.epochs.some((p) => typeof p.metrics.learning_rate === 'number')
  const errorMessage = run.error_message ?? (status === 'failed' ? state.statusMessage : null)
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/">← All runs</Link>
      </p>
      <div className="page-title">
        <h1>
          {run.name} <span className="muted">#{run.id}</span>
        </h1>
        <StatusBadge status={status} testId="run-status" />
        <span className={`connection connection-${connection}`}>{CONNECTION_TEXT[connection]}</span>
        <CancelButton runId={run.id} status={status} requested={run.cancel_requested === true} />
        {run.has_model && (
          <a className="button" href={api.modelUrl(run.id)} download data-testid="download-model">
            Download model (.keras)
          </a>
        )}
        <Downloads runId={run.id} status={status} hasModel={run.has_model === true} />
      </div>
      <RunProgress status={status} phase={state.phase ?? run.phase ?? null} progress={progress} />
      {errorMessage !== null && (
        <div className="error-box" role="alert" data-testid="run-error">
          <strong>Run failed</strong>
          <pre>{errorMessage}</pre>
        </div>
      )}
      {error !== null && <ErrorBox error={error} title="Could not refresh the run" />}
      <RunDetails run={run} resumedFrom={state.resumedFrom?.epoch ?? null} />
      <RunTags key={run.id} runId={run.id} initial={run.tags ?? []} />
      {(run.warnings?.length ?? 0) > 0 && (
        <ul className="warnings" data-testid="run-warnings">
          {run.warnings?.map((w) => <li key={w.code}>{w.message}</li>)}
        </ul>
      )}
      <div className="charts">
        <MetricChart
          testId="loss-chart"
          title="Loss"
          series={LOSS_SERIES}
          epochs={state.epochs}
          totalEpochs={progress.total}
          bestEpoch={best?.epoch ?? null}
        />
        <MetricChart
          testId="accuracy-chart"
          title="Accuracy"
          series={ACCURACY_SERIES}
          epochs={state.epochs}
          totalEpochs={progress.total}
          yRange={[0, 1]}
          bestEpoch={best?.epoch ?? null}
        />
        {hasRate && (
          <MetricChart
            testId="lr-chart"
            title="Learning rate"
            series={RATE_SERIES}
            epochs={state.epochs}
            totalEpochs={progress.total}
            yFormat={rateTick}
          />
        )}
      </div>
      {status === 'succeeded' && run.has_model && <PredictPanel runId={run.id} />}
      <h2>Epochs</h2>
      <EpochTable epochs={state.epochs} best={best} />
      {status === 'succeeded' && <EvaluationPanel runId={run.id} />}
      <RunLog logs={state.logs} />
    </section>
  )
}
