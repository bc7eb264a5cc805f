import { isTerminal, type RunStatus } from '../api/types'
import { progressText, type OverallProgress } from './progress'

interface RunProgressProps {
  status: RunStatus
  phase: string | null
  progress: OverallProgress
}

/** The bar under the title: the worker's phase in words while it prepares, epoch and batch while it trains. */
export function RunProgress({ status, phase, progress }: RunProgressProps) {
  if (isTerminal(status) && status !== 'cancelled') return null
  if (status === 'cancelled') {
    return phase ? <p className="run-phase muted" data-testid="run-phase">{phase}</p> : null
  }
  const waiting = status === 'queued' ? 'waiting for a worker' : null
  const label = phase ?? waiting
  return (
    <div className="run-progress" data-testid="run-progress">
      {label !== null && (
        <p className="run-phase" data-testid="run-phase">
          {status === 'running' && progress.batch === null && progress.epoch === 0 ? `preparing: ${label}…` : label}
        </p>
      )}
      <progress max={1} value={progress.fraction} aria-label="training progress" />
      <span className="muted" data-testid="run-progress-text">
        {progressText(progress)}
      </span>
    </div>
  )
}
