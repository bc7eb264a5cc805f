import { type ChangeEvent, type DragEvent, type FormEvent, useState } from 'react'
import type { DatasetPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'
import { asksForColumns } from './explore'
import { formatBytes, formatProgress } from './uploadPlan'
import { type IngestChoice, type UploadState, useUpload } from './useUpload'
import { ValidationReport } from './ValidationReport'

function firstZip(files: FileList | null): File | null {
  return Array.from(files ?? []).find((file) => file.name.toLowerCase().endsWith('.zip')) ?? files?.[0] ?? null
}

function Progress({ state, onCancel }: { state: Extract<UploadState, { phase: 'uploading' }>; onCancel: () => void }) {
  return (
    <div className="upload-progress">
      <div className="upload-progress-head">
        <strong>{state.filename}</strong>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <progress data-testid="upload-progress" value={state.sent} max={state.size} />
      <p className="muted" aria-live="polite">
        {formatProgress(state.sent, state.size, state.rate)}
      </p>
      {state.retry !== null && <p className="upload-retry">{state.retry}</p>}
    </div>
  )
}

function ColumnPicker({ choice, onChange }: { choice: IngestChoice; onChange: (choice: IngestChoice) => void }) {
  const field = (key: 'pathColumn' | 'labelColumn', label: string) => (
    <label>
      {label}
      <input
        name={key}
        value={choice[key]}
        placeholder="detect"
        onChange={(event) => onChange({ ...choice, [key]: event.target.value })}
      />
    </label>
  )
  return (
    <div className="column-picker">
      {field('pathColumn', 'Path column')}
      {field('labelColumn', 'Label column')}
    </div>
  )
}

function Rejected(props: {
  state: Extract<UploadState, { phase: 'rejected' }>
  choice: IngestChoice
  setChoice: (choice: IngestChoice) => void
  onRetry: () => void
  onDiscard: () => void
}) {
  const { state, choice, setChoice } = props
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    props.onRetry()
  }
  return (
    <form className="upload-rejected" onSubmit={onSubmit}>
      <ValidationReport message={state.error.message} problems={state.error.problems} />
      {asksForColumns(state.error.problems) && <ColumnPicker choice={choice} onChange={setChoice} />}
      <div className="actions">
        {asksForColumns(state.error.problems) && (
          <button type="submit" className="button">
            Try these columns
          </button>
        )}
        <button type="button" className="button secondary" onClick={props.onDiscard}>
          Upload another zip
        </button>
      </div>
    </form>
  )
}

export function UploadArea({ chunkBytes, onStored }: { chunkBytes: number; onStored: (d: DatasetPublic) => void }) {
  const { state, start, cancel, retryIngest, discard } = useUpload(chunkBytes, onStored)
  const [choice, setChoice] = useState<IngestChoice>({ name: '', pathColumn: '', labelColumn: '' })
  const [dragging, setDragging] = useState(false)
  const busy = state.phase === 'uploading' || state.phase === 'ingesting'

  const take = (file: File | null) => {
    if (file !== null && !busy) void start(file, choice)
  }
  const onDragOver = (event: DragEvent) => {
    event.preventDefault() // without this the browser opens the zip instead of dropping it here
    event.dataTransfer.dropEffect = busy ? 'none' : 'copy'
    setDragging(true)
  }
  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    take(firstZip(event.dataTransfer.files))
  }
  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    take(firstZip(event.target.files))
    event.target.value = '' // picking the same file again still fires change
  }

  return (
    <section className="upload" aria-label="Upload a dataset">
      <div
        data-testid="upload-drop"
        className={`drop-zone${dragging ? ' dragging' : ''}${busy ? ' busy' : ''}`}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          <strong>Drop a dataset .zip here</strong> or{' '}
          <label className="file-pick">
            choose a file
            <input data-testid="upload-input" type="file" accept=".zip,application/zip" onChange={onPick} disabled={busy} />
          </label>
        </p>
        <p className="muted">
          Class folders of images or of audio recordings, with or without a CSV of paths and labels; RAVDESS and EMO-DB
          folders as they come. Large zips upload in chunks and resume
          after a dropped connection.
        </p>
        <label className="name-field">
          <span>
            Name <span className="muted">(optional)</span>
          </span>
          <input
            name="name"
            value={choice.name}
            placeholder="from the zip's name"
            onChange={(event) => setChoice({ ...choice, name: event.target.value })}
          />
        </label>
      </div>
      {state.phase === 'uploading' && <Progress state={state} onCancel={cancel} />}
      {state.phase === 'ingesting' && (
        <div className="upload-progress">
          <strong>{state.filename}</strong>
          <progress data-testid="upload-progress" value={state.size} max={state.size} />
          <p className="muted" aria-live="polite">
            Uploaded {formatBytes(state.size)}; checking the CSV and every image…
          </p>
        </div>
      )}
      {state.phase === 'rejected' && (
        <Rejected state={state} choice={choice} setChoice={setChoice} onRetry={() => retryIngest(choice)} onDiscard={discard} />
      )}
      {state.phase === 'failed' && <ErrorBox error={state.error} title={`Could not upload ${state.filename}`} />}
    </section>
  )
}
