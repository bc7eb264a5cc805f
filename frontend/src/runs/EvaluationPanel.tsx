import { useEffect, useState } from 'react'
import { ApiError } from '../api/client'
import { ErrorBox } from '../components/ErrorBox'
import { checkpointText, ciText, classRows, groupRows, percent, splitText, type MetricWithCI, type RecordingLevel, type RunEvaluation } from './evaluation'
import { fetchEvaluation } from './evaluationApi'
import { EvaluationCellItems } from './EvaluationCellItems'
import { EvaluationConfusion } from './EvaluationConfusion'
import { EvaluationTables } from './EvaluationTables'
import './evaluation.css'

type Selected = { trueClass: string; predictedClass: string } | null

function useEvaluation(runId: number) {
  const [evaluation, setEvaluation] = useState<RunEvaluation | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  useEffect(() => {
    const controller = new AbortController()
    fetchEvaluation(runId, controller.signal).then(setEvaluation, (reason: unknown) => {
      if (!controller.signal.aborted) setError(reason instanceof ApiError ? reason : new ApiError(0, 'client', String(reason)))
    })
    return () => controller.abort()
  }, [runId])
  return { evaluation, error }
}

function MetricCard({ label, metric, testId }: { label: string; metric: MetricWithCI; testId: string }) {
  return (
    <div className="metric-card" data-testid={testId}>
      <div className="metric-label">{label}</div>
      <div className="metric-value">{percent(metric.value)}</div>
      <div className="metric-ci muted">{ciText(metric)}</div>
    </div>
  )
}

function PlainCard({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <div className="metric-card" data-testid={testId}>
      <div className="metric-label">{label}</div>
      <div className="metric-value">{value}</div>
      {note !== undefined && <div className="metric-ci muted">{note}</div>}
    </div>
  )
}

/** Segment-level and recording-level numbers side by side: the gap is the point. */
function RecordingComparison({ evaluation, recording }: { evaluation: RunEvaluation; recording: RecordingLevel }) {
  const rows: [string, string, string][] = [
    ['items', String(evaluation.n), String(recording.n)],
    ['accuracy', `${percent(evaluation.accuracy.value)} (${ciText(evaluation.accuracy)})`, `${percent(recording.accuracy.value)} (${ciText(recording.accuracy)})`],
    ['balanced accuracy', `${percent(evaluation.balanced_accuracy.value)} (${ciText(evaluation.balanced_accuracy)})`, `${percent(recording.balanced_accuracy.value)} (${ciText(recording.balanced_accuracy)})`],
    ['macro-F1', evaluation.macro_f1.toFixed(3), recording.macro_f1.toFixed(3)],
  ]
  return (
    <section data-testid="recording-level">
      <h3>Per recording ('{recording.column}': segment probabilities averaged per recording)</h3>
      <div className="evaluation-row">
        <table className="data-table compact">
          <thead>
            <tr>
              <th />
              <th>Segments</th>
              <th>Recordings</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, segment, whole]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{segment}</td>
                <td className="num">{whole}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <EvaluationConfusion confusion={recording.confusion} testId="recording-confusion-matrix" cellPrefix="recording-cell" />
      </div>
    </section>
  )
}

export function EvaluationPanel({ runId }: { runId: number }) {
  const { evaluation, error } = useEvaluation(runId)
  const [selected, setSelected] = useState<Selected>(null)
  if (error !== null) {
    return (
      <section className="evaluation" data-testid="evaluation">
        <h2>Evaluation</h2>
        {error.status === 404 ? <p className="muted">{error.message}</p> : <ErrorBox error={error} title="Could not load the evaluation" />}
      </section>
    )
  }
  if (evaluation === null) return <p className="muted">Loading the evaluation…</p>
  const select = (trueClass: string, predictedClass: string) =>
    setSelected((current) => (current?.trueClass === trueClass && current.predictedClass === predictedClass ? null : { trueClass, predictedClass }))
  return (
    <section className="evaluation" data-testid="evaluation">
      <h2>Evaluation</h2>
      <p className="muted" data-testid="evaluation-source">
        On the {splitText(evaluation)}, with the {checkpointText(evaluation)}.
      </p>
      <div className="metric-cards">
        <MetricCard label="Accuracy" metric={evaluation.accuracy} testId="card-accuracy" />
        <MetricCard label="Balanced accuracy (UAR)" metric={evaluation.balanced_accuracy} testId="card-balanced-accuracy" />
        <PlainCard label="Macro-F1" value={evaluation.macro_f1.toFixed(3)} testId="card-macro-f1" />
        <PlainCard
          label="Checkpoint"
          value={evaluation.best_epoch !== null ? `epoch ${evaluation.best_epoch}` : 'last epoch'}
          note={evaluation.checkpoint === 'best' ? 'lowest val_loss' : 'no validation split'}
          testId="card-checkpoint"
        />
      </div>
      <h3>Confusion matrix</h3>
      <p className="muted">Rows are true classes. Click a cell to see its images.</p>
      <EvaluationConfusion confusion={evaluation.confusion} selected={selected} onSelect={select} />
      {selected !== null && (
        <EvaluationCellItems
          runId={runId}
          classes={evaluation.classes}
          trueClass={selected.trueClass}
          predictedClass={selected.predictedClass}
          onClose={() => setSelected(null)}
        />
      )}
      <EvaluationTables classes={classRows(evaluation.per_class, evaluation.classes)} groups={groupRows(evaluation.per_group)} />
      {evaluation.recording_level !== null && <RecordingComparison evaluation={evaluation} recording={evaluation.recording_level} />}
    </section>
  )
}
