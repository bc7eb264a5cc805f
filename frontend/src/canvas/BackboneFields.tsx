// A Backbone's weights and trainable fields: choices in words instead of raw enum values,
// the project's uploaded weights files instead of a sha256 box, and the block count.
import { formatProgress } from '../datasets/uploadPlan'
import {
  type ParamChange,
  TRAINABLE_CHOICES,
  type Trainable,
  WEIGHTS_CHOICES,
  type Weights,
  blocksField,
  blocksFor,
  fileLabel,
  filesFor,
  shortHash,
  trainableChanges,
  weightsChanges,
} from './backbone'
import { useWeightsFiles } from './backboneWeights'
import type { DocNode } from './model'
import { FieldMessages, ParamField } from './ParamField'
import type { CanvasProblem } from './problems'
import { useGraphSchema } from './useCanvasData'

interface BackboneFieldsProps {
  node: DocNode
  problems: CanvasProblem[]
  onParam: (name: string, value: unknown) => void
  onCommit: () => void
}

const OFFLINE_NOTE = 'ImageNet weights download on first use; offline, place the file as the error explains.'

export function BackboneFields({ node, problems, onParam, onCommit }: BackboneFieldsProps) {
  const { schema } = useGraphSchema()
  const errors = (name: string) => problems.filter((p) => p.param === name).map((p) => p.message)
  const apply = (changes: ParamChange[]) => {
    for (const [name, value] of changes) onParam(name, value)
    onCommit()
  }
  const { weights, trainable, architecture } = node.params
  const blocks = schema ? blocksFor(schema.palette, architecture) : undefined
  // A stray weights_file or trainable_blocks (e.g. from an imported graph) has no field of
  // its own while hidden: its "clear it" shows under the choice that hides it.
  const weightsErrors = [...errors('weights'), ...(weights === 'file' ? [] : errors('weights_file'))]
  const trainableErrors = [...errors('trainable'), ...(trainable === 'last_blocks' ? [] : errors('trainable_blocks'))]
  return (
    <>
      <div className="param-field">
        <label htmlFor="param-weights">Weights</label>
        <select
          id="param-weights"
          name="weights"
          value={String(weights ?? 'imagenet')}
          aria-invalid={weightsErrors.length > 0}
          onChange={(e) => apply(weightsChanges(node.params, e.target.value as Weights))}
        >
          {WEIGHTS_CHOICES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {weights !== 'none' && weights !== 'file' && <small className="muted">{OFFLINE_NOTE}</small>}
        <FieldMessages messages={weightsErrors} />
      </div>
      {weights === 'file' && (
        <WeightsFilePicker
          architecture={typeof architecture === 'string' ? architecture : null}
          selected={node.params.weights_file}
          errors={errors('weights_file')}
          onSelect={(sha256) => apply([['weights_file', sha256]])}
        />
      )}
      <div className="param-field">
        <label htmlFor="param-trainable">Trainable</label>
        <select
          id="param-trainable"
          name="trainable"
          value={String(trainable ?? 'all')}
          aria-invalid={trainableErrors.length > 0}
          onChange={(e) => apply(trainableChanges(node.params, e.target.value as Trainable))}
        >
          {TRAINABLE_CHOICES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <FieldMessages messages={trainableErrors} />
      </div>
      {trainable === 'last_blocks' && (
        <ParamField
          field={blocksField(blocks)}
          value={node.params.trainable_blocks}
          errors={errors('trainable_blocks')}
          onChange={(value) => onParam('trainable_blocks', value)}
          onCommit={onCommit}
        />
      )}
    </>
  )
}

interface PickerProps {
  architecture: string | null
  selected: unknown
  errors: string[]
  onSelect: (sha256: string | null) => void
}

function WeightsFilePicker({ architecture, selected, errors, onSelect }: PickerProps) {
  const weights = useWeightsFiles(architecture, onSelect)
  const offered = filesFor(weights.files ?? [], architecture, selected)
  const sha = typeof selected === 'string' ? selected : ''
  const unknown = sha !== '' && !offered.some((f) => f.sha256 === sha)
  return (
    <div className="param-field weights-file-picker" data-testid="weights-file-picker">
      <label htmlFor="param-weights_file">Weights file</label>
      <select
        id="param-weights_file"
        name="weights_file"
        value={sha}
        aria-invalid={errors.length > 0}
        onChange={(e) => onSelect(e.target.value || null)}
      >
        <option value="">{weights.files === null && !weights.listError ? 'Loading…' : '(choose a file)'}</option>
        {unknown && <option value={sha}>{`not in this project's uploads · ${shortHash(sha)}`}</option>}
        {offered.map((file) => (
          <option key={file.id} value={file.sha256}>
            {fileLabel(file)}
          </option>
        ))}
      </select>
      {weights.files !== null && offered.length === 0 && (
        <small className="muted">No weights file uploaded for {architecture ?? 'this network'} yet.</small>
      )}
      <FieldMessages messages={[...(weights.listError ? [weights.listError] : []), ...errors]} />
      <label htmlFor="weights-upload" className="weights-upload-label">
        Upload weights…
      </label>
      <input
        id="weights-upload"
        type="file"
        accept=".h5,.pth,.pt"
        disabled={weights.progress !== null}
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = '' // choosing the same file again uploads again
          if (file) void weights.upload(file)
        }}
      />
      <small className="muted">A Keras .weights.h5, or a torchvision .pth state dict for SqueezeNet11 / WideResNet50_2.</small>
      {weights.progress && (
        <div className="weights-upload-progress" data-testid="weights-upload-progress">
          <progress value={weights.progress.sent} max={weights.progress.total || 1} />
          <small>
            {weights.progress.filename}: {formatProgress(weights.progress.sent, weights.progress.total, 0)}{' '}
            <button type="button" onClick={weights.cancel}>
              Cancel
            </button>
          </small>
        </div>
      )}
      {weights.notice && (
        <small role="status" data-testid="weights-upload-notice">
          {weights.notice}
        </small>
      )}
      {weights.failure && (
        <div className="field-errors" role="alert" data-testid="weights-upload-error">
          {weights.failure.message}
          {weights.failure.details.length > 0 && (
            <ul>
              {weights.failure.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}
