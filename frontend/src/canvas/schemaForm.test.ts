import { describe, expect, it } from 'vitest'
import { formFields, parseInput, rangeHint } from './schemaForm'

// As Pydantic writes Pool2DParams and DenseParams (GET /api/graph-schema).
const pool = {
  properties: {
    pool_size: { default: 2, maximum: 64, minimum: 1, title: 'Pool Size', type: 'integer' },
    strides: { anyOf: [{ maximum: 64, minimum: 1, type: 'integer' }, { type: 'null' }], default: null, title: 'Strides' },
    padding: { default: 'valid', enum: ['valid', 'same'], title: 'Padding', type: 'string' },
  },
  type: 'object',
}
const dense = {
  $defs: { Act: { enum: ['linear', 'relu'], type: 'string' } },
  properties: {
    units: { maximum: 1000000, minimum: 1, title: 'Units', type: 'integer' },
    activation: { $ref: '#/$defs/Act', default: 'linear' },
    use_bias: { default: true, title: 'Use Bias', type: 'boolean' },
    rate: { exclusiveMaximum: 1, minimum: 0, type: 'number' },
  },
  required: ['units'],
}

describe('form fields from JSON Schema', () => {
  it('derives kinds, bounds, nullability and choices', () => {
    const [size, strides, padding] = formFields(pool)
    expect(size).toMatchObject({ name: 'pool_size', kind: 'integer', minimum: 1, maximum: 64, nullable: false, default: 2 })
    expect(strides).toMatchObject({ name: 'strides', kind: 'integer', nullable: true, maximum: 64 })
    expect(padding).toMatchObject({ kind: 'enum', options: ['valid', 'same'] })
    const [units, activation, useBias, rate] = formFields(dense)
    expect(units).toMatchObject({ required: true, title: 'Units' })
    expect(activation).toMatchObject({ kind: 'enum', options: ['linear', 'relu'], title: 'Activation' })
    expect(useBias?.kind).toBe('boolean')
    expect(rate).toMatchObject({ kind: 'number', exclusiveMaximum: 1 })
    expect(rangeHint(rate!)).toBe('≥ 0, < 1')
  })

  it('parses typed text: empty is null where allowed, else the param is removed', () => {
    const [size, strides, padding] = formFields(pool)
    expect(parseInput(size!, '7')).toEqual({ ok: true, value: 7 })
    expect(parseInput(size!, '7.5')).toEqual({ ok: false, message: 'Enter a whole number' })
    expect(parseInput(size!, '')).toEqual({ ok: true, value: undefined })
    expect(parseInput(strides!, ' ')).toEqual({ ok: true, value: null })
    expect(parseInput(padding!, 'same')).toEqual({ ok: true, value: 'same' })
    expect(parseInput(padding!, 'wide').ok).toBe(false)
    const rate = formFields(dense)[3]!
    expect(parseInput(rate, '1e-3')).toEqual({ ok: true, value: 0.001 })
    expect(parseInput(rate, 'abc').ok).toBe(false)
  })
})
