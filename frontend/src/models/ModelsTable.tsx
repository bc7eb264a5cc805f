import type { KeyboardEvent, MouseEvent } from 'react'
import type { GraphPublic } from '../api/types'
import { Link } from '../components/Link'
import { formatDateTime } from '../format'
import { isPlainClick, modelPath, navigate } from '../router'
import { nodeCount } from './graphs'

function ModelRow({ graph }: { graph: GraphPublic }) {
  const open = () => navigate(modelPath(graph.id))
  const onClick = (event: MouseEvent<HTMLTableRowElement>) => {
    if (isPlainClick(event) && !(event.target as HTMLElement).closest('a')) open()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.key === 'Enter') open()
  }
  const latest = graph.latest_version
  return (
    <tr className="clickable" onClick={onClick} onKeyDown={onKeyDown} tabIndex={0} data-graph-id={graph.id}>
      <td className="num">{graph.id}</td>
      <td>
        <Link to={modelPath(graph.id)}>{graph.name}</Link>
        {latest.message !== '' && <div className="muted derived-note">{latest.message}</div>}
      </td>
      <td className="num">v{latest.version}</td>
      <td className="nowrap">{formatDateTime(latest.created_at)}</td>
      <td className="num">{nodeCount(latest.spec)}</td>
    </tr>
  )
}

export function ModelsTable({ graphs }: { graphs: GraphPublic[] }) {
  return (
    <table className="data-table" data-testid="models-table">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Name</th>
          <th className="num">Latest</th>
          <th>Last saved</th>
          <th className="num">Nodes</th>
        </tr>
      </thead>
      <tbody>
        {graphs.map((graph) => (
          <ModelRow key={graph.id} graph={graph} />
        ))}
      </tbody>
    </table>
  )
}
