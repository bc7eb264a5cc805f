import { useEffect, useState } from 'react'
import { ApiError, api } from '../api/client'
import type { DatasetItemPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'

const PAGE_SIZE = 50

function metadata(item: DatasetItemPublic): string {
  return Object.entries(item.extra)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ')
}

/** One class's recordings as a plain list; the /image URL serves the original file, so each row can play it. */
export function RecordingList({ datasetId, label, total }: { datasetId: number; label: string; total: number }) {
  const [items, setItems] = useState<DatasetItemPublic[]>([])
  const [count, setCount] = useState(total)
  const [offset, setOffset] = useState(0)
  const [error, setError] = useState<ApiError | null>(null)
  useEffect(() => {
    const controller = new AbortController()
    api.datasetItems(datasetId, { label, offset, limit: PAGE_SIZE }, controller.signal).then(
      (answer) => {
        // Skip ids already shown (StrictMode may load a page twice).
        setItems((previous) => [...previous, ...answer.data.filter((item) => !previous.some((p) => p.id === item.id))])
        setCount(answer.count)
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(caught instanceof ApiError ? caught : new ApiError(0, 'client', String(caught)))
      },
    )
    return () => controller.abort()
  }, [datasetId, label, offset])
  return (
    <section className="recordings-section">
      <h3>
        {label} <span className="muted">{items.length < count ? `${items.length} of ${count}` : count}</span>
      </h3>
      {error !== null && <ErrorBox error={error} title={`Could not load the ${label} recordings`} />}
      <ul className="recordings" data-testid={`recordings-${label}`}>
        {items.map((item) => (
          <li key={item.id} data-item-id={item.id}>
            <code>{item.path}</code> <span className="muted">{metadata(item)}</span>
            <audio controls preload="none" src={api.imageUrl(datasetId, item.id)} />
          </li>
        ))}
      </ul>
      {items.length < count && (
        <button type="button" className="button secondary" onClick={() => setOffset(items.length)}>
          Show {Math.min(PAGE_SIZE, count - items.length)} more
        </button>
      )}
    </section>
  )
}
