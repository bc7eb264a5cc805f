import type { ParamCounts } from '../api/types'
import { formatTotals, paramsTitle } from './format'

interface ToolbarProps {
  canUndo: boolean
  canRedo: boolean
  canDelete: boolean
  onUndo: () => void
  onRedo: () => void
  onDelete: () => void
  onLayout: () => void
  onFit: () => void
  /** A short note, such as why a connection was refused. */
  hint: string | null
  /** The whole model's parameter counts, once the graph is complete. */
  totals: ParamCounts | null
}

export function Toolbar(props: ToolbarProps) {
  return (
    <div className="canvas-toolbar" role="toolbar" aria-label="Canvas">
      <button type="button" data-testid="undo" onClick={props.onUndo} disabled={!props.canUndo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" data-testid="redo" onClick={props.onRedo} disabled={!props.canRedo} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button
        type="button"
        data-testid="delete-selected"
        onClick={props.onDelete}
        disabled={!props.canDelete}
        title="Delete the selection (Delete)"
      >
        Delete
      </button>
      <button type="button" data-testid="auto-layout" onClick={props.onLayout} title="Arrange top to bottom">
        Auto-layout
      </button>
      <button type="button" data-testid="fit-view" onClick={props.onFit} title="Zoom to fit">
        Fit
      </button>
      {props.hint && (
        <span className="canvas-hint" role="status">
          {props.hint}
        </span>
      )}
      {props.totals && (
        <span className="canvas-totals" data-testid="model-totals" title={paramsTitle(props.totals)}>
          {formatTotals(props.totals)}
        </span>
      )}
    </div>
  )
}
