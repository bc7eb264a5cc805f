import { Handle, type NodeProps, Position } from '@xyflow/react'
import type { LayerFlowNode } from './flow'
import { formatParams, paramsTitle } from './format'

/** One layer on the canvas: its title, output shape, parameter count and problems. */
export function LayerNode({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const broken = data.problems.length > 0
  const classes = ['layer-node', selected ? 'selected' : '', broken ? 'has-problems' : ''].join(' ')
  return (
    <div className={classes} data-testid={`node-${id}`}>
      {data.takesInput && <Handle type="target" position={Position.Top} id="in" />}
      <div className="layer-node-head">
        <strong className="layer-node-title" title={data.type}>
          {data.title}
        </strong>
        <span className="layer-node-id muted" title={id}>
          {id}
        </span>
      </div>
      <div className="layer-node-facts">
        <span data-testid="node-shape" className="layer-node-shape">
          {data.shape ?? '—'}
        </span>
        <span
          data-testid="node-params"
          className="layer-node-params muted"
          title={data.params ? paramsTitle(data.params) : undefined}
        >
          {data.params ? formatParams(data.params) : ''}
        </span>
      </div>
      <ul data-testid="node-problems" className="layer-node-problems">
        {data.problems.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
      <Handle type="source" position={Position.Bottom} id="out" />
    </div>
  )
}
