import type { KeyboardEvent, MouseEvent } from 'react'
import type { DatasetPublic } from '../api/types'
import { Link } from '../components/Link'
import { formatDateTime } from '../format'
import { datasetPath, isPlainClick, navigate } from '../router'

function classSummary(dataset: DatasetPublic): string {
  return dataset.classes.map((label) => `${label} (${dataset.class_counts[label] ?? 0})`).join(', ')
}

function DatasetRow({ dataset, parent }: { dataset: DatasetPublic; parent: DatasetPublic | undefined }) {
  const open = () => navigate(datasetPath(dataset.id))
  const onClick = (event: MouseEvent<HTMLTableRowElement>) => {
    if (isPlainClick(event) && !(event.target as HTMLElement).closest('a')) open()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.key === 'Enter') open()
  }
  return (
    <tr
      className="clickable"
      onClick={onClick}
      onKeyDown={onKeyDown}
      tabIndex={0}
      data-dataset-id={dataset.id}
      data-kind={dataset.kind ?? 'image'}
      data-parent-id={dataset.parent_id ?? undefined}
    >
      <td className="num">{dataset.id}</td>
      <td>
        <Link to={datasetPath(dataset.id)}>{dataset.name}</Link>
        {dataset.kind === 'audio' && (
          <>
            {' '}
            <span className="badge badge-kind" data-testid="kind-badge">
              audio
            </span>
          </>
        )}
        {dataset.parent_id != null && (
          <div className="muted derived-note">
            from <Link to={datasetPath(dataset.parent_id)}>{parent?.name ?? `dataset ${dataset.parent_id}`}</Link>
            {typeof dataset.derivation?.type === 'string' && ` (${dataset.derivation.type})`}
          </div>
        )}
      </td>
      <td className="num">{dataset.num_items}</td>
      <td>{classSummary(dataset)}</td>
      <td className="nowrap">{formatDateTime(dataset.created_at)}</td>
    </tr>
  )
}

export function DatasetsTable({ datasets }: { datasets: DatasetPublic[] }) {
  const byId = new Map(datasets.map((dataset) => [dataset.id, dataset]))
  return (
    <table className="data-table" data-testid="datasets-table">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Name</th>
          <th className="num">Items</th>
          <th>Classes</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {datasets.map((dataset) => (
          <DatasetRow key={dataset.id} dataset={dataset} parent={byId.get(dataset.parent_id ?? -1)} />
        ))}
      </tbody>
    </table>
  )
}
