import { describe, expect, it } from 'vitest'
import { parseRunEvent } from './parseEvent'

describe('parseRunEvent', () => {
  it('parses the three event types', () => {
    const epoch = { type: 'epoch', seq: 4, run_id: 1, at: 'x', epoch: 1, epochs: 2, metrics: { loss: 1 } }
    expect(parseRunEvent(JSON.stringify(epoch))).toEqual(epoch)
    expect(parseRunEvent('{"type":"status","seq":1,"run_id":1,"at":"x","status":"running","message":null}')?.type).toBe(
      'status',
    )
    expect(parseRunEvent('{"type":"log","seq":2,"run_id":1,"at":"x","level":"info","message":"hi"}')?.type).toBe('log')
  })

  it('drops malformed data instead of throwing', () => {
    expect(parseRunEvent('not json')).toBeNull()
    expect(parseRunEvent('null')).toBeNull()
    expect(parseRunEvent('{"type":"epoch","seq":1}')).toBeNull()
    expect(parseRunEvent('{"type":"other","seq":1}')).toBeNull()
    expect(parseRunEvent('{"type":"status"}')).toBeNull()
  })
})
