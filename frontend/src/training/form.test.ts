import { describe, expect, it } from 'vitest'
import doc from './openapi.fixture.json'
import { applyFix, chooseType, describeFix, fromHyperparameters, locateProblems, setValue, toHyperparameters } from './form'
import { formSchema } from './schema'

const schema = formSchema(doc)

// What GET /api/hyperparameter-presets answers for the paper preset.
const paper = {
  epochs: 10,
  batch_size: 32,
  optimizer: {
    learning_rate: 0.0001, decay: 0.0, weight_decay: null, clipnorm: null, clipvalue: null, global_clipnorm: null,
    use_ema: false, ema_momentum: 0.99, type: 'adadelta', rho: 0.95, epsilon: 1e-8,
  },
  loss: { type: 'categorical_crossentropy', label_smoothing: 0.0 },
  schedule: { type: 'constant' },
  early_stopping: { enabled: false, monitor: 'val_loss', patience: 5, min_delta: 0.0, restore_best: true },
  class_weights: 'none',
  mixed_precision: false,
  validation_fraction: 0.2,
  seed: 0,
}

describe('form <-> hyperparameters', () => {
  it('round-trips a preset exactly', () => {
    const values = fromHyperparameters(schema, paper)
    expect(values['optimizer.learning_rate']).toBe('0.0001')
    expect(values['optimizer.epsilon']).toBe('1e-8')
    expect(values['optimizer.clipnorm']).toBe('')
    expect(toHyperparameters(schema, values)).toEqual(paper)
  })

  it('fills fields a stored run lacks with the schema defaults', () => {
    const values = fromHyperparameters(schema, { epochs: 3, optimizer: { type: 'sgd', learning_rate: 0.1 } })
    const hp = toHyperparameters(schema, values)
    expect(hp.optimizer).toMatchObject({ type: 'sgd', learning_rate: 0.1, momentum: 0, nesterov: false })
    expect(hp.loss).toEqual({ type: 'categorical_crossentropy', label_smoothing: 0 })
    expect(hp.epochs).toBe(3)
  })

  it('sends text that is not a number as typed, so the check reports it under its field', () => {
    let values = fromHyperparameters(schema, paper)
    values = setValue(values, 'optimizer.learning_rate', '1e-')
    values = setValue(values, 'epochs', ' 6 ')
    values = setValue(values, 'optimizer.clipnorm', '  ')
    const hp = toHyperparameters(schema, values) as { epochs: unknown; optimizer: Record<string, unknown> }
    expect(hp.optimizer.learning_rate).toBe('1e-')
    expect(hp.optimizer.clipnorm).toBeNull()
    expect(hp.epochs).toBe(6)
  })

  it('starts another optimizer from its own defaults, without the old one’s fields', () => {
    const values = chooseType(schema, fromHyperparameters(schema, paper), 'optimizer', 'adam')
    const optimizer = toHyperparameters(schema, values).optimizer as Record<string, unknown>
    expect(optimizer).toMatchObject({ type: 'adam', learning_rate: 0.001, beta_1: 0.9 })
    expect(optimizer).not.toHaveProperty('rho')
  })
})

describe('applyFix', () => {
  it('applies the Adadelta warning’s fix', () => {
    const fixed = applyFix(schema, fromHyperparameters(schema, paper), { 'optimizer.learning_rate': 1.0 })
    expect((toHyperparameters(schema, fixed).optimizer as Record<string, unknown>).learning_rate).toBe(1)
  })

  it('switches a type before setting that type’s fields', () => {
    const fix = { 'schedule.patience': 2, 'schedule.type': 'reduce_on_plateau', class_weights: 'balanced' }
    const hp = toHyperparameters(schema, applyFix(schema, fromHyperparameters(schema, paper), fix))
    expect(hp.schedule).toMatchObject({ type: 'reduce_on_plateau', patience: 2, monitor: 'val_loss' })
    expect(hp.class_weights).toBe('balanced')
  })

  it('says what it will do', () => {
    expect(describeFix({ 'optimizer.learning_rate': 1, class_weights: 'balanced' })).toBe(
      'optimizer.learning_rate to 1, class_weights to "balanced"',
    )
  })
})

describe('locateProblems', () => {
  it('puts a problem under its field and the rest in general', () => {
    const values = fromHyperparameters(schema, paper)
    const located = locateProblems(
      [
        { loc: ['body', 'hyperparameters', 'optimizer', 'learning_rate'], message: 'Input should be a valid number' },
        { loc: ['body', 'hyperparameters', 'optimizer', 'beta_1'], message: 'Extra inputs are not permitted' },
        { loc: ['body', 'hyperparameters'], message: 'Input should be an object' },
      ],
      schema,
      values,
    )
    expect(located.byPath).toEqual({ 'optimizer.learning_rate': ['Input should be a valid number'] })
    expect(located.general).toEqual(['optimizer.beta_1: Extra inputs are not permitted', 'Input should be an object'])
  })
})
