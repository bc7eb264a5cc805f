import { useState } from 'react'
import type { SaveStatus } from './useSave'

interface SavePanelProps {
  isNew: boolean
  dirty: boolean
  status: SaveStatus | null
  onSave: (name: string, message: string) => Promise<boolean>
}

export function SavePanel({ isNew, dirty, status, onSave }: SavePanelProps) {
  const [name, setName] = useState('')
  const [message, setMessage] = useState('')
  const saving = status?.kind === 'saving'
  // "Saved" is stale once the canvas changes again.
  const stale = status?.kind === 'saved' && dirty
  const text = status && !stale ? status.message : dirty ? 'Unsaved changes' : 'No unsaved changes'
  return (
    <form
      className="canvas-save"
      onSubmit={(event) => {
        event.preventDefault()
        void onSave(name, message).then((saved) => saved && setMessage(''))
      }}
    >
      {isNew && (
        <input
          data-testid="save-name"
          name="model-name"
          aria-label="Model name"
          placeholder="Model name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={200}
        />
      )}
      <input
        data-testid="save-message"
        name="save-message"
        aria-label="What changed"
        placeholder="What changed?"
        value={message}
        onChange={(event) => setMessage(event.target.value)}
        maxLength={2000}
      />
      <button type="submit" data-testid="save-button" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
      <span data-testid="save-status" role="status" className={`save-status save-${stale ? 'idle' : (status?.kind ?? 'idle')}`}>
        {text}
      </span>
    </form>
  )
}
