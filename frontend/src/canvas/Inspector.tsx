import { useMemo } from 'react'
import type { LayerSchema } from '../api/types'
import { BACKBONE_FIELDS, type ParamChange } from './backbone'
import { BackboneFields } from './BackboneFields'
import type { DocNode } from './model'
import { ParamField } from './ParamField'
import type { CanvasProblem } from './problems'
import { formFields } from './schemaForm'

interface InspectorProps {
  node: DocNode | null
  selectedCount: number
  layer: LayerSchema | undefined
  problems: CanvasProblem[]
  onParam: (nodeId: string, name: string, value: unknown) => void
  onParams: (nodeId: string, changes: ParamChange[]) => void
  onCommit: () => void
}

const CUSTOM: ReadonlySet<string> = new Set(BACKBONE_FIELDS)

/**
 * The selected node's parameters, as a form generated from its JSON Schema; a Backbone's
 * weights and trainable params get their own fields (uploads, block count).
 */
export function Inspector({ node, selectedCount, layer, problems, onParam, onParams, onCommit }: InspectorProps) {
  const allFields = useMemo(() => (layer ? formFields(layer.params_schema) : []), [layer])
  const isBackbone = node?.type === 'Backbone'
  const fields = isBackbone ? allFields.filter((field) => !CUSTOM.has(field.name)) : allFields
  if (node === null) {
    return (
      <aside className="canvas-inspector" data-testid="inspector">
        <p className="muted">
          {selectedCount > 1 ? `${selectedCount} nodes selected.` : 'Select a node to edit its parameters.'}
        </p>
      </aside>
    )
  }
  const known = new Set([...fields.map((field) => field.name), ...(isBackbone ? CUSTOM : [])])
  const nodeLevel = problems.filter((p) => p.param === null || !known.has(p.param))
  return (
    <aside className="canvas-inspector" data-testid="inspector">
      <h3>{layer?.label ?? node.type}</h3>
      <p className="inspector-id">
        id <code data-testid="inspector-node-id">{node.id}</code>
      </p>
      {layer?.description && <p className="muted inspector-description">{layer.description}</p>}
      {nodeLevel.length > 0 && (
        <ul className="field-errors" role="alert">
          {nodeLevel.map((problem) => (
            <li key={problem.message}>{problem.message}</li>
          ))}
        </ul>
      )}
      {fields.length === 0 && !isBackbone && <p className="muted">No parameters.</p>}
      <form className="inspector-form" onSubmit={(event) => event.preventDefault()}>
        {fields.map((field) => (
          <ParamField
            key={`${node.id}:${field.name}`}
            field={field}
            value={node.params[field.name]}
            errors={problems.filter((p) => p.param === field.name).map((p) => p.message)}
            onChange={(value) => onParam(node.id, field.name, value)}
            onCommit={onCommit}
          />
        ))}
        {isBackbone && (
          <BackboneFields
            key={node.id}
            node={node}
            problems={problems}
            onParam={(name, value) => onParam(node.id, name, value)}
            onParams={(changes) => onParams(node.id, changes)}
            onCommit={onCommit}
          />
        )}
      </form>
    </aside>
  )
}
