import { describe, expect, it } from 'vitest'
import { formatDuration, formatMetric, formatNumber, formatPercent } from './format'

describe('format', () => {
  it('formats metrics and percentages, with a dash when missing', () => {
    expect(formatMetric(0.123456)).toBe('0.1235')
    expect(formatMetric(undefined)).toBe('—')
    expect(formatPercent(0.9876)).toBe('98.8%')
    expect(formatPercent(null)).toBe('—')
  })

  it('writes tiny hyperparameters in exponent form', () => {
    expect(formatNumber(1e-8)).toBe('1e-8')
    expect(formatNumber(0.95)).toBe('0.95')
    expect(formatNumber(0)).toBe('0')
  })

  it('formats durations', () => {
    expect(formatDuration(null, null)).toBe('—')
    expect(formatDuration('2025-01-01T00:00:00Z', '2025-01-01T00:01:05Z')).toBe('1m 5s')
    expect(formatDuration('2025-01-01T00:00:00Z', '2025-01-01T02:03:00Z')).toBe('2h 3m')
    expect(formatDuration('2025-01-01T00:00:00Z', '2025-01-03T05:00:00Z')).toBe('2d 5h')
  })
})
