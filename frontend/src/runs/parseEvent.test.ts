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
    expect(parseRunEvent('{"type":"progress","seq":3,"epoch":1,"batch":"2","batches":4}')).toBeNull()
    expect(parseRunEvent('{"type":"phase","seq":3}')).toBeNull()
  })

  it('parses phase and batch progress events', () => {
    const progress = { type: 'progress', seq: 5, run_id: 1, at: 'x', epoch: 1, batch: 2, batches: 4, eta_seconds: 12 }
    expect(parseRunEvent(JSON.stringify(progress))).toEqual(progress)
    expect(parseRunEvent('{"type":"phase","seq":6,"run_id":1,"at":"x","phase":"compiling the model"}')?.type).toBe('phase')
  })
})
