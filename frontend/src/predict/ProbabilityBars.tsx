import { percent, ranked } from './predictFiles'

/** One bar per class, most probable first; the predicted class is highlighted. */
export function ProbabilityBars({ probabilities, predicted }: { probabilities: Record<string, number>; predicted: string }) {
  return (
    <ul className="probability-bars" data-testid="probabilities">
      {ranked(probabilities).map(([name, p]) => (
        <li key={name} className={name === predicted ? 'predicted' : undefined} data-class={name}>
          <span className="bar-label">{name}</span>
          <span className="bar-track" aria-hidden="true">
            <span className="bar-fill" style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }} />
          </span>
          <span className="bar-value">{percent(p)}</span>
        </li>
      ))}
    </ul>
  )
}
