import { useState, type FormEvent } from 'react'
import { ApiError, api } from '../api/client'
import { ErrorBox } from '../components/ErrorBox'
import { modelPath, navigate } from '../router'
import { nameFromFile } from './graphs'

/** Upload a saved Keras model; the server reads its layers into a new model's first version. */
export function ImportKeras() {
  const [file, setFile] = useState<File | null>(null)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const pick = (picked: File | null) => {
    setFile(picked)
    setError(null)
    if (picked !== null) setName(nameFromFile(picked.name))
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (file === null) return
    setBusy(true)
    setError(null)
    try {
      const graph = await api.importGraph(file, name.trim() === '' ? nameFromFile(file.name) : name.trim())
      navigate(modelPath(graph.id))
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'client', String(failure)))
      setBusy(false)
    }
  }
  return (
    <form className="import-keras" data-testid="import-keras" onSubmit={(event) => void submit(event)}>
      <label>
        Import .keras{' '}
        <input type="file" accept=".keras" data-testid="import-file" onChange={(event) => pick(event.target.files?.[0] ?? null)} />
      </label>
      <label>
        Name <input type="text" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
      </label>
      <button type="submit" className="button secondary" disabled={file === null || busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {error !== null && (
        <ErrorBox error={error} title={error.status === 422 ? 'The file could not be imported' : 'The import failed'} />
      )}
    </form>
  )
}
