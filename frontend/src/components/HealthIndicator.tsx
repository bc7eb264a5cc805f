import { api } from '../api/client'
import type { ComponentName } from '../api/types'
import { usePolling } from '../api/usePolling'

const COMPONENTS: ComponentName[] = ['database', 'broker', 'worker']
const HEALTH_INTERVAL_MS = 10_000

export function HealthIndicator() {
  const { data, error } = usePolling(api.health, HEALTH_INTERVAL_MS)
  if (error !== null && data === null) {
    return (
      <ul className="health" aria-label="System health">
        <li className="health-down" title={error.message}>API unreachable</li>
      </ul>
    )
  }
  return (
    <ul className="health" aria-label="System health" data-testid="health">
      {COMPONENTS.map((name) => {
        const component = data?.components[name]
        const state = component?.status ?? 'unknown'
        const title = `${name}: ${state}${component?.detail ? ` (${component.detail})` : ''}`
        return (
          <li key={name} className={`health-${state}`} title={title}>
            <span className="dot" aria-hidden="true" />
            {name} <span className="sr-only">{state}</span>
          </li>
        )
      })}
    </ul>
  )
}
