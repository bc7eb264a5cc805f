import type { RunStatus } from '../api/types'

interface StatusBadgeProps {
  status: RunStatus
  testId?: string
}

export function StatusBadge({ status, testId }: StatusBadgeProps) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId}>
      {status}
    </span>
  )
}
