import type { OptimizerConfig, RunPublic } from '../api/types'
import { formatDateTime, formatDuration, formatNumber } from '../format'
import { attemptText } from './progress'

/** The parameters that say something: unset options (null, off) and EMA momentum without EMA are left out. */
function optimizerParams(optimizer: OptimizerConfig): string {
  return Object.entries(optimizer)
    .filter(([key, value]) => key !== 'type' && value !== null && value !== false)
    .filter(([key]) => key !== 'ema_momentum' || (optimizer as Record<string, unknown>).use_ema === true)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? formatNumber(value) : String(value)}`)
    .join(', ')
}

function splitText(run: RunPublic): string {
  const split = run.split
  if (!split) return `${Math.round(run.hyperparameters.validation_fraction * 100)}% validation, stratified`
  const parts = `${split.train} / ${split.validation} / ${split.test}`
  const extras = [split.method === 'fixed_test' ? 'test from test.csv' : null, split.stratify ? 'stratified' : null, split.group_by ? `grouped by ${split.group_by}` : null]
  return [parts, ...extras.filter((e) => e !== null), `seed ${split.seed}`].join(', ')
}

export function RunDetails({ run, resumedFrom }: { run: RunPublic; resumedFrom: number | null }) {
  const hp = run.hyperparameters
  const rows: [string, string][] = [
    ['Model', `${run.graph_name} v${run.graph_version}`],
    ['Dataset', run.dataset_name],
    ['Optimizer', `${hp.optimizer.type} (${optimizerParams(hp.optimizer)})`],
    ['Epochs', String(hp.epochs)],
    ['Batch size', String(hp.batch_size)],
    ['Split (train / val. / test %)', splitText(run)],
    ['Seed', String(hp.seed)],
    ['Parameters', run.num_params === null ? '—' : run.num_params.toLocaleString()],
    ['Created', formatDateTime(run.created_at)],
    ['Started', formatDateTime(run.started_at)],
    ['Finished', formatDateTime(run.finished_at)],
    ['Duration', formatDuration(run.started_at, run.finished_at)],
  ]
  if (hp.loss) rows.splice(3, 0, ['Loss', hp.loss.type])
  if (hp.schedule && hp.schedule.type !== 'constant') rows.splice(4, 0, ['Schedule', hp.schedule.type])
  if (run.worker) rows.push(['Worker', run.worker])
  if (run.device) rows.push(['Device', run.device])
  const attempt = attemptText(run.attempt, resumedFrom)
  if (attempt !== null) rows.push(['Attempt', attempt])
  if (run.leakage_override) rows.push(['Started despite leaks', run.leakage_override])
  return (
    <dl className="details" data-testid="run-details">
      {rows.map(([term, value]) => (
        <div key={term} data-term={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
