import { describe, expect, it } from 'vitest'
import doc from './openapi.fixture.json'
import { formSchema, shownFields, type VariantGroup } from './schema'

// openapi.fixture.json: the Hyperparameters part of the backend's real OpenAPI document.
const schema = formSchema(doc)
const group = (key: string) => schema.groups.find((g) => g.key === key)

describe('formSchema', () => {
  it('groups the fields as the panel shows them', () => {
    expect(schema.groups.map((g) => g.title)).toEqual([
      'Epochs, batch size, seed',
      'Optimizer',
      'Loss',
      'Learning-rate schedule',
      'Early stopping',
      'Class weights',
      'Mixed precision',
    ])
  })

  it('offers all seven optimizers, each with its own parameters and defaults', () => {
    const optimizer = group('optimizer') as VariantGroup
    expect(optimizer.types).toEqual(['adadelta', 'adam', 'adamw', 'nadam', 'sgd', 'rmsprop', 'adagrad'])
    const adadelta = shownFields(optimizer, 'adadelta')
    expect(adadelta.find((f) => f.name === 'learning_rate')?.default).toBe(1e-4)
    expect(adadelta.map((f) => f.name)).toContain('rho')
    expect(shownFields(optimizer, 'sgd').find((f) => f.name === 'nesterov')?.kind).toBe('boolean')
    expect(shownFields(optimizer, 'adam').map((f) => f.name)).not.toContain('rho')
  })

  it("explains Keras 2 decay and marks optional numbers as nullable", () => {
    const fields = shownFields(group('optimizer')!, 'adam')
    expect(fields.find((f) => f.name === 'decay')?.note).toContain('Keras 2 decay, applied as an inverse-time schedule per step')
    const clipnorm = fields.find((f) => f.name === 'clipnorm')
    expect(clipnorm).toMatchObject({ kind: 'number', nullable: true, default: null, advanced: true })
    expect(fields.find((f) => f.name === 'learning_rate')?.advanced).toBe(false)
  })

  it('reads enums, integers and nested objects', () => {
    const stopping = shownFields(group('early_stopping')!, null)
    expect(stopping.find((f) => f.path === 'early_stopping.monitor')?.options).toEqual([
      'val_loss',
      'val_accuracy',
      'loss',
      'accuracy',
    ])
    expect(shownFields(group('training')!, null).find((f) => f.path === 'epochs')?.kind).toBe('integer')
    expect(shownFields(group('class_weights')!, null)[0]?.options).toEqual(['none', 'balanced'])
  })

  it('puts a property it has no place for under Other, and survives an empty document', () => {
    const extended = structuredClone(doc) as typeof doc & Record<string, never>
    const properties = extended.components.schemas.Hyperparameters.properties as Record<string, unknown>
    properties.jit = { type: 'boolean', default: false }
    expect(formSchema(extended).groups.at(-1)).toMatchObject({ title: 'Other', fields: [{ path: 'jit' }] })
    expect(formSchema({}).groups).toEqual([])
  })
})
