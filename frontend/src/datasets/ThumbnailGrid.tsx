import { useEffect, useState } from 'react'
import { ApiError, api } from '../api/client'
import type { DatasetItemPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'

export const PAGE_SIZE = 24

interface Page {
  items: DatasetItemPublic[]
  count: number
  loading: boolean
  error: ApiError | null
}

function useItemPages(datasetId: number, label: string) {
  const [page, setPage] = useState<Page>({ items: [], count: 0, loading: true, error: null })
  const [offset, setOffset] = useState(0)
  useEffect(() => {
    const controller = new AbortController()
    api.datasetItems(datasetId, { label, offset, limit: PAGE_SIZE }, controller.signal).then(
      (answer) =>
        setPage((previous) => ({
          // Append, skipping ids already shown (StrictMode may load a page twice).
          items: [...previous.items, ...answer.data.filter((item) => !previous.items.some((p) => p.id === item.id))],
          count: answer.count,
          loading: false,
          error: null,
        })),
      (error: unknown) => {
        if (controller.signal.aborted) return
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'client', String(error))
        setPage((previous) => ({ ...previous, loading: false, error: apiError }))
      },
    )
    return () => controller.abort()
  }, [datasetId, label, offset])
  const more = () => {
    setPage((previous) => ({ ...previous, loading: true, error: null }))
    setOffset(page.items.length)
  }
  return { ...page, more }
}

interface GridProps {
  datasetId: number
  label: string
  total: number
  onOpen: (item: DatasetItemPublic) => void
}

export function ThumbnailGrid({ datasetId, label, total, onOpen }: GridProps) {
  const { items, count, loading, error, more } = useItemPages(datasetId, label)
  const shown = Math.max(count, total)
  return (
    <section className="thumbnails-section">
      <h3>
        {label} <span className="muted">{items.length < shown ? `${items.length} of ${shown}` : shown}</span>
      </h3>
      {error !== null && <ErrorBox error={error} title={`Could not load the ${label} images`} />}
      <ul className="thumbnails" data-testid={`thumbnails-${label}`}>
        {items.map((item) => (
          <li key={item.id}>
            <button type="button" className="thumb" onClick={() => onOpen(item)} title={item.path}>
              <img src={api.thumbnailUrl(datasetId, item.id)} alt={item.path} loading="lazy" width={96} height={96} />
            </button>
          </li>
        ))}
      </ul>
      {items.length < count && (
        <button type="button" className="button secondary" onClick={more} disabled={loading}>
          {loading ? 'Loading…' : `Show ${Math.min(PAGE_SIZE, count - items.length)} more`}
        </button>
      )}
    </section>
  )
}
