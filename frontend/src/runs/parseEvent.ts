import { RUN_EVENT_TYPES, type RunEvent } from '../api/types'

/** Parses one SSE `data` field; anything malformed is dropped rather than breaking the page. */
export function parseRunEvent(data: string): RunEvent | null {
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const candidate = value as Partial<RunEvent>
  if (typeof candidate.seq !== 'number' || !RUN_EVENT_TYPES.includes(candidate.type as RunEvent['type'])) {
    return null
  }
  if (candidate.type === 'epoch' && (typeof candidate.epoch !== 'number' || typeof candidate.metrics !== 'object')) {
    return null
  }
  if (candidate.type === 'status' && typeof candidate.status !== 'string') return null
  if (candidate.type === 'progress' && !['epoch', 'batch', 'batches'].every((k) => typeof (value as Record<string, unknown>)[k] === 'number')) {
    return null
  }
  if (candidate.type === 'resumed' && typeof candidate.from_epoch !== 'number') return null
  if (candidate.type === 'phase' && typeof candidate.phase !== 'string' && typeof candidate.message !== 'string') return null
  return candidate as RunEvent
}
