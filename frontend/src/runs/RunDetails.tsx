import type { OptimizerConfig, RunPublic } from '../api/types'
import { formatDateTime, formatDuration, formatNumber } from '../format'

function optimizerParams(optimizer: OptimizerConfig): string {
  return Object.entries(optimizer)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `${key}=${typeof value === 'number' ? formatNumber(value) : String(value)}`)
    .join(', ')
}

export function RunDetails({ run }: { run: RunPublic }) {
  const hp = run.hyperparameters
  const rows: [string, string][] = [
    ['Model', `${run.graph_name} v${run.graph_version}`],
    ['Dataset', run.dataset_name],
    ['Optimizer', `${hp.optimizer.type} (${optimizerParams(hp.optimizer)})`],
    ['Epochs', String(hp.epochs)],
    ['Batch size', String(hp.batch_size)],
    ['Validation split', `${Math.round(hp.validation_fraction * 100)}%`],
    ['Seed', String(hp.seed)],
    ['Parameters', run.num_params === null ? '—' : run.num_params.toLocaleString()],
    ['Created', formatDateTime(run.created_at)],
    ['Started', formatDateTime(run.started_at)],
    ['Finished', formatDateTime(run.finished_at)],
    ['Duration', formatDuration(run.started_at, run.finished_at)],
  ]
  if (run.worker) rows.push(['Worker', run.worker])
  return (
    <dl className="details" data-testid="run-details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
