import { useEffect, useState } from 'react'
import { ApiError } from '../api/client'
import { ErrorBox } from '../components/ErrorBox'
import { cellTitle, percent, probabilityBars, type EvaluationItem } from './evaluation'
import { fetchPredictions } from './evaluationApi'

const PAGE = 24

interface Props {
  runId: number
  classes: string[]
  trueClass: string
  predictedClass: string
  onClose: () => void
}

/** The test images of one confusion-matrix cell, each with the model's probabilities. */
export function EvaluationCellItems({ runId, classes, trueClass, predictedClass, onClose }: Props) {
  const [items, setItems] = useState<EvaluationItem[]>([])
  const [count, setCount] = useState<number | null>(null)
  const [limit, setLimit] = useState(PAGE)
  const [error, setError] = useState<ApiError | null>(null)
  useEffect(() => {
    const controller = new AbortController()
    fetchPredictions(runId, { true: trueClass, predicted: predictedClass, limit }, controller.signal).then(
      (page) => {
        setItems(page.items)
        setCount(page.count)
        setError(null)
      },
      (reason: unknown) => {
        if (!controller.signal.aborted) setError(reason instanceof ApiError ? reason : new ApiError(0, 'client', String(reason)))
      },
    )
    return () => controller.abort()
  }, [runId, trueClass, predictedClass, limit])

  return (
    <section className="cell-items" data-testid="cell-items" aria-live="polite">
      <header>
        <h3>{count === null ? `${trueClass} predicted as ${predictedClass}` : cellTitle(trueClass, predictedClass, count)}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {error !== null && <ErrorBox error={error} title="Could not load the images" />}
      {count === 0 && <p className="muted">No images in this cell.</p>}
      <ul className="cell-item-grid">
        {items.map((item, index) => (
          <li key={item.item_id ?? `${item.path}-${index}`} className="cell-item" data-testid="cell-item">
            {item.thumbnail_url !== null ? (
              <a href={item.image_url ?? undefined} target="_blank" rel="noreferrer">
                <img src={item.thumbnail_url} alt={item.path} loading="lazy" />
              </a>
            ) : (
              <div className="no-image">no image</div>
            )}
            <div className="cell-item-path" title={item.path}>
              {item.path}
            </div>
            <ul className="eval-probs" aria-label="Predicted probabilities">
              {probabilityBars(item, classes).map((bar) => (
                <li key={bar.name} className={[bar.predicted && 'predicted', bar.true && 'true'].filter(Boolean).join(' ') || undefined} data-testid="probability">
                  <span className="eval-prob-label">
                    {bar.name}
                    {bar.true && ' (true)'}
                  </span>
                  <span className="eval-prob-value">{percent(bar.probability)}</span>
                  <span className="eval-prob-track">
                    <span className="eval-prob-fill" style={{ width: `${(bar.probability * 100).toFixed(1)}%` }} />
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {count !== null && items.length < count && (
        <button type="button" onClick={() => setLimit((value) => Math.min(500, value + PAGE))}>
          Show more ({count - items.length} left)
        </button>
      )}
    </section>
  )
}
