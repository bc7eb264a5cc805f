// The hyperparameter form, generated from the API's own OpenAPI document: every
// optimizer, loss and schedule the backend accepts appears here with its
// defaults and bounds, so a field added to the Pydantic models needs no front-end edit.
// Only the grouping and a few notes are ours.

export type FieldKind = 'number' | 'integer' | 'boolean' | 'enum'

export interface FieldSpec {
  /** Dotted path from the hyperparameters object: "optimizer.learning_rate". */
  path: string
  name: string
  kind: FieldKind
  nullable: boolean
  options: string[]
  default: unknown
  description: string | null
  /** Our note for a field whose meaning is easy to misread (decay). */
  note: string | null
  /** Rarely changed: folded away under "more settings" unless it has a problem. */
  advanced: boolean
}

/** An object chosen by its `type` (optimizer, loss, schedule): each type has its own fields. */
export interface VariantGroup {
  kind: 'variant'
  key: string
  title: string
  types: string[]
  fields: Record<string, FieldSpec[]>
}

export interface FieldsGroup {
  kind: 'fields'
  key: string
  title: string
  fields: FieldSpec[]
}

export type FormGroup = VariantGroup | FieldsGroup

export interface FormSchema {
  groups: FormGroup[]
}

type Json = Record<string, unknown>

const LAYOUT: { key: string; title: string; props: string[] }[] = [
  { key: 'training', title: 'Epochs, batch size, seed', props: ['epochs', 'batch_size', 'seed', 'validation_fraction'] },
  { key: 'optimizer', title: 'Optimizer', props: ['optimizer'] },
  { key: 'loss', title: 'Loss', props: ['loss'] },
  { key: 'schedule', title: 'Learning-rate schedule', props: ['schedule'] },
  { key: 'early_stopping', title: 'Early stopping', props: ['early_stopping'] },
  { key: 'class_weights', title: 'Class weights', props: ['class_weights'] },
  { key: 'mixed_precision', title: 'Mixed precision', props: ['mixed_precision'] },
]

const NOTES: Record<string, string> = {
  'optimizer.decay': 'Keras 2 decay, applied as an inverse-time schedule per step: lr / (1 + decay × step). 0 = none.',
  validation_fraction: 'Share of the training items held out for validation, stratified by class.',
}

const ADVANCED = new Set(['weight_decay', 'clipnorm', 'clipvalue', 'global_clipnorm', 'use_ema', 'ema_momentum'])

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

function resolve(doc: Json, schema: Json): Json {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  const name = ref.split('/').at(-1) ?? ''
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {}
  const target = components[name]
  return isObject(target) ? target : {}
}

/** Unwraps `anyOf: [X, null]` (Pydantic's `X | None`). */
function unwrapNullable(schema: Json): { schema: Json; nullable: boolean } {
  const anyOf = schema.anyOf
  if (!Array.isArray(anyOf)) return { schema, nullable: false }
  const branches = anyOf.filter(isObject)
  const other = branches.find((b) => b.type !== 'null')
  return { schema: { ...other, ...schema, anyOf: undefined }, nullable: branches.some((b) => b.type === 'null') }
}

function fieldKind(schema: Json): FieldKind | null {
  if (Array.isArray(schema.enum)) return 'enum'
  if (schema.type === 'integer') return 'integer'
  if (schema.type === 'number') return 'number'
  if (schema.type === 'boolean') return 'boolean'
  return null
}

function toField(doc: Json, path: string, name: string, raw: Json): FieldSpec | null {
  const { schema, nullable } = unwrapNullable(resolve(doc, raw))
  const kind = fieldKind(schema)
  if (kind === null) return null
  return {
    path,
    name,
    kind,
    nullable,
    options: Array.isArray(schema.enum) ? schema.enum.map(String) : [],
    default: 'default' in schema ? schema.default : nullable ? null : undefined,
    description: typeof schema.description === 'string' ? schema.description : null,
    note: NOTES[path] ?? null,
    advanced: path.startsWith('optimizer.') && ADVANCED.has(name),
  }
}

function objectFields(doc: Json, object: Json, prefix: string): FieldSpec[] {
  const properties = isObject(object.properties) ? object.properties : {}
  return Object.entries(properties)
    .filter(([name]) => name !== 'type')
    .map(([name, raw]) => (isObject(raw) ? toField(doc, prefix + name, name, raw) : null))
    .filter((field): field is FieldSpec => field !== null)
}

function variantGroup(doc: Json, key: string, title: string, prop: Json): VariantGroup | null {
  const discriminator = prop.discriminator
  if (!isObject(discriminator) || !isObject(discriminator.mapping)) return null
  const order = Array.isArray(prop.oneOf) ? prop.oneOf.filter(isObject).map((b) => String(b.$ref)) : []
  const entries = Object.entries(discriminator.mapping).sort(
    ([, a], [, b]) => order.indexOf(String(a)) - order.indexOf(String(b)),
  )
  const fields: Record<string, FieldSpec[]> = {}
  for (const [type, ref] of entries) fields[type] = objectFields(doc, resolve(doc, { $ref: ref }), `${key}.`)
  return { kind: 'variant', key, title, types: entries.map(([type]) => type), fields }
}

function groupFor(doc: Json, properties: Json, key: string, title: string, props: string[]): FormGroup | null {
  const present = props.filter((name) => isObject(properties[name]))
  if (present.length === 1 && present[0] === key) {
    const prop = properties[key] as Json
    if (isObject(prop.discriminator)) return variantGroup(doc, key, title, prop)
    const object = resolve(doc, prop)
    if (object.type === 'object' || isObject(object.properties)) {
      return { kind: 'fields', key, title, fields: objectFields(doc, object, `${key}.`) }
    }
  }
  const fields = present
    .map((name) => toField(doc, name, name, properties[name] as Json))
    .filter((field): field is FieldSpec => field !== null)
  return fields.length > 0 ? { kind: 'fields', key, title, fields } : null
}

/** The form for `Hyperparameters` in an OpenAPI document; fields outside our layout land in "Other". */
export function formSchema(doc: Json): FormSchema {
  const root = resolve(doc, { $ref: '#/components/schemas/Hyperparameters' })
  const properties = isObject(root.properties) ? root.properties : {}
  const groups: FormGroup[] = []
  for (const { key, title, props } of LAYOUT) {
    const group = groupFor(doc, properties, key, title, props)
    if (group !== null) groups.push(group)
  }
  const placed = new Set(LAYOUT.flatMap((entry) => entry.props))
  const rest = Object.keys(properties).filter((name) => !placed.has(name))
  const other = groupFor(doc, properties, 'other', 'Other', rest)
  if (other !== null) groups.push(other)
  return { groups }
}

/** The fields shown for a group given the chosen type of a variant group. */
export function shownFields(group: FormGroup, type: string | null): FieldSpec[] {
  if (group.kind === 'fields') return group.fields
  return type === null ? [] : (group.fields[type] ?? [])
}
