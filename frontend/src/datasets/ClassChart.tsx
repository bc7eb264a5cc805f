import { classBars } from './explore'

/** Horizontal bars, one per class; plain divs so every bar carries its label and count for tests. */
export function ClassChart({ classes, counts }: { classes: string[]; counts: Record<string, number> }) {
  const bars = classBars(classes, counts)
  return (
    <figure className="class-chart" data-testid="class-chart" aria-label="Images per class">
      {bars.map((bar) => (
        <div className="bar-row" key={bar.label} data-class={bar.label} data-count={bar.count}>
          <span className="bar-label">{bar.label}</span>
          <span className="bar-track">
            <span className="bar" style={{ width: `${(bar.fraction * 100).toFixed(2)}%` }} />
          </span>
          <span className="bar-count">{bar.count}</span>
        </div>
      ))}
    </figure>
  )
}
