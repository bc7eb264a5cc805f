import { tally } from './explore'

/** A titled list of values with how often each occurs (sizes, modes, sample rates...). */
export function Tally({ title, counts }: { title: string; counts: Record<string, number> | undefined }) {
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
