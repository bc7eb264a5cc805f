import { useState, type FormEvent } from 'react'
import { api, ApiError, compareApi } from '../api/client'
import { usePolling } from '../api/usePolling'
import { ErrorBox } from '../components/ErrorBox'
import { navigate, paperComparePath } from '../router'

const MIN_SIZE = 75 // InceptionV3's smallest input; all four models share one size

/** "Reproduce the paper": the four models, one split, one set of hyperparameters, queued together. */
export function PaperForm() {
  const datasets = usePolling(api.datasets, 10_000)
  const images = (datasets.data?.data ?? []).filter((d) => (d.kind ?? 'image') === 'image')
  const [datasetId, setDatasetId] = useState<number | null>(null)
  const [size, setSize] = useState(224)
  const [weights, setWeights] = useState<'imagenet' | 'none'>('imagenet')
  const [override, setOverride] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const chosen = datasetId ?? images[0]?.id ?? null

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (chosen === null) return
    setBusy(true)
    setError(null)
    try {
      const body = { dataset_id: chosen, size, weights, ...(override.trim() === '' ? {} : { leakage_override: override.trim() }) }
      const experiment = await compareApi.createPaper(body)
      navigate(paperComparePath(experiment.id))
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="paper-form" onSubmit={(e) => void submit(e)} data-testid="paper-form">
      <h2>Reproduce the paper</h2>
      <p className="muted">
        ResNet50, WideResNet, SqueezeNet and InceptionV3, each with global max pooling, Dense 512 and a softmax output,
        trained with the paper's hyperparameters on one 60 / 20 / 20 split, queued together. The result is the paper's
        Table II with test and balanced accuracy, the curves, and a report to download or print.
      </p>
      <div className="compare-controls">
        <label className="name-field">
          Dataset
          <select value={chosen ?? ''} onChange={(e) => setDatasetId(Number(e.target.value))} required>
            {images.length === 0 && <option value="">No image dataset yet</option>}
            {images.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.classes.length} classes, {d.num_items} images)</option>)}
          </select>
        </label>
        <label className="name-field">
          Input size (px)
          <input type="number" min={MIN_SIZE} max={1024} value={size} onChange={(e) => setSize(Number(e.target.value))} />
        </label>
        <label className="name-field">
          Weights
          <select value={weights} onChange={(e) => setWeights(e.target.value === 'none' ? 'none' : 'imagenet')}>
            <option value="imagenet">ImageNet (pre-trained)</option>
            <option value="none">None (random)</option>
          </select>
        </label>
        <label className="name-field">
          Leakage override (only if the split audit finds leaks)
          <input type="text" value={override} onChange={(e) => setOverride(e.target.value)} placeholder="your reason" />
        </label>
        <button type="submit" className="button" disabled={busy || chosen === null || size < MIN_SIZE}>
          {busy ? 'Starting…' : 'Start the four runs'}
        </button>
      </div>
      {size < MIN_SIZE && <p className="muted">InceptionV3 needs inputs of at least {MIN_SIZE}×{MIN_SIZE}.</p>}
      {error !== null && <ErrorBox error={error} title="The experiment did not start" />}
    </form>
  )
}
