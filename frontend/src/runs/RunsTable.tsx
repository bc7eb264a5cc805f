import type { KeyboardEvent, MouseEvent } from 'react'
import type { RunPublic } from '../api/types'
import { Link } from '../components/Link'
import { StatusBadge } from '../components/StatusBadge'
import { formatDateTime, formatPercent } from '../format'
import { isPlainClick, navigate, runPath } from '../router'

interface Selection {
  selected: ReadonlySet<number>
  onToggle: (id: number) => void
}

function RunRow({ run, selection }: { run: RunPublic; selection?: Selection }) {
  const open = () => navigate(runPath(run.id))
  const onClick = (event: MouseEvent<HTMLTableRowElement>) => {
    // The name cell is a real link (new tab, copy address); let it handle its own clicks.
    if (isPlainClick(event) && !(event.target as HTMLElement).closest('a, input')) open()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.key === 'Enter') open()
  }
  return (
    <tr className="clickable" onClick={onClick} onKeyDown={onKeyDown} tabIndex={0} data-run-id={run.id}>
      {selection !== undefined && (
        <td className="runs-select">
          <input type="checkbox" aria-label={`Select run ${run.id}`} checked={selection.selected.has(run.id)} onChange={() => selection.onToggle(run.id)} />
        </td>
      )}
      <td className="num">{run.id}</td>
      <td>
        <Link to={runPath(run.id)}>{run.name}</Link>
      </td>
      <td>
        {run.graph_name} <span className="muted">v{run.graph_version}</span>
      </td>
      <td>{run.dataset_name}</td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className="num">
        {run.epochs_completed}/{run.hyperparameters.epochs}
      </td>
      <td className="num">{formatPercent(run.latest_metrics.val_accuracy)}</td>
      <td className="nowrap">{formatDateTime(run.created_at)}</td>
    </tr>
  )
}

/** With `selection`, each row gets a checkbox (runs chosen for the compare page). */
export function RunsTable({ runs, selection }: { runs: RunPublic[]; selection?: Selection }) {
  return (
    <table className="data-table" data-testid="runs-table">
      <thead>
        <tr>
          {selection !== undefined && <th className="runs-select" aria-label="Select" />}
          <th className="num">ID</th>
          <th>Name</th>
          <th>Model</th>
          <th>Dataset</th>
          <th>Status</th>
          <th className="num">Epoch</th>
          <th className="num">Val. accuracy</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <RunRow key={run.id} run={run} selection={selection} />
        ))}
      </tbody>
    </table>
  )
}
