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
  onParams: (changes: ParamChange[]) => void
  onCommit: () => void
}

const OFFLINE_NOTE = 'ImageNet weights download on first use; offline, place the file as the error explains.'

export function BackboneFields({ node, problems, onParam, onParams, onCommit }: BackboneFieldsProps) {
  const { schema } = useGraphSchema()
  const errors = (name: string) => problems.filter((p) => p.param === name).map((p) => p.message)
  const apply = (changes: ParamChange[]) => {
    onParams(changes)
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
      <ChoiceField
        name="weights"
        title="Weights"
        value={String(weights ?? 'imagenet')}
        choices={WEIGHTS_CHOICES}
        hint={weights !== 'none' && weights !== 'file' ? OFFLINE_NOTE : ''}
        errors={weightsErrors}
        onChange={(value) => apply(weightsChanges(node.params, value as Weights))}
      />
      {weights === 'file' && (
        <WeightsFilePicker
          architecture={typeof architecture === 'string' ? architecture : null}
          selected={node.params.weights_file}
          errors={errors('weights_file')}
          onSelect={(sha256) => apply([['weights_file', sha256]])}
        />
      )}
      <ChoiceField
        name="trainable"
        title="Trainable"
        value={String(trainable ?? 'all')}
        choices={TRAINABLE_CHOICES}
        hint=""
        errors={trainableErrors}
        onChange={(value) => apply(trainableChanges(node.params, value as Trainable))}
      />
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

interface ChoiceFieldProps {
  name: string
  title: string
  value: string
  /** [stored value, what the user reads] */
  choices: readonly (readonly [string, string])[]
  hint: string
  errors: string[]
  onChange: (value: string) => void
}

function ChoiceField({ name, title, value, choices, hint, errors, onChange }: ChoiceFieldProps) {
  return (
    <div className="param-field">
      <label htmlFor={`param-${name}`}>{title}</label>
      <select id={`param-${name}`} name={name} value={value} aria-invalid={errors.length > 0} onChange={(e) => onChange(e.target.value)}>
        {choices.map(([choice, label]) => (
          <option key={choice} value={choice}>
            {label}
          </option>
        ))}
      </select>
      {hint && <small className="muted">{hint}</small>}
      <FieldMessages messages={errors} />
    </div>
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
      <UploadStatus {...weights} />
    </div>
  )
}

function UploadStatus({ progress, notice, failure, cancel }: ReturnType<typeof useWeightsFiles>) {
  return (
    <>
      {progress && (
        <div className="weights-upload-progress" data-testid="weights-upload-progress">
          <progress value={progress.sent} max={progress.total || 1} />
          <small>
            {progress.filename}: {formatProgress(progress.sent, progress.total, 0)}{' '}
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </small>
        </div>
      )}
      {notice && (
        <small role="status" data-testid="weights-upload-notice">
          {notice}
        </small>
      )}
      {failure && (
        <div className="field-errors" role="alert" data-testid="weights-upload-error">
          {failure.message}
          {failure.details.length > 0 && (
            <ul>
              {failure.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  )
}
