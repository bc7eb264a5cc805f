import type { DatasetReport } from '../api/types'
import { tally } from './explore'

function Tally({ title, counts }: { title: string; counts: Record<string, number> | undefined }) {
  const rows = tally(counts)
  return (
    <div>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">—</p>
      ) : (
        <ul className="tally">
          {rows.map(([value, count]) => (
            <li key={value}>
              <code>{value}</code> <span className="muted">× {count}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function ImageSummary({ report }: { report: DatasetReport | undefined }) {
  return (
    <div className="image-summary" data-testid="image-summary">
      <Tally title="Sizes (W×H)" counts={report?.images?.sizes} />
      <Tally title="Modes" counts={report?.images?.modes} />
    </div>
  )
}
