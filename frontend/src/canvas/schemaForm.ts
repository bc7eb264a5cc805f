// Inspector form fields derived from a layer's params JSON Schema (as Pydantic writes it).
import type { JsonSchema } from '../api/types'

export type FieldKind = 'integer' | 'number' | 'enum' | 'boolean' | 'text'

export interface FormField {
  name: string
  title: string
  description: string
  kind: FieldKind
  /** Enum choices, in schema order. */
  options: unknown[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  /** anyOf with null: an empty input means null. */
  nullable: boolean
  required: boolean
  default?: unknown
}

const isRecord = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  const name = ref.split('/').at(-1) ?? ''
  const defs = root.$defs ?? root.definitions
  const target = isRecord(defs) ? defs[name] : undefined
  return isRecord(target) ? { ...target, ...schema, $ref: undefined } : schema
}

/** Splits `anyOf: [X, {type: null}]` into X and a nullable flag. */
function unwrapNullable(schema: JsonSchema, root: JsonSchema): { inner: JsonSchema; nullable: boolean } {
  const anyOf = Array.isArray(schema.anyOf) ? schema.anyOf.filter(isRecord) : null
  if (!anyOf) return { inner: resolve(schema, root), nullable: schema.type === 'null' }
  const others = anyOf.filter((option) => option.type !== 'null')
  const inner = others.length === 1 && others[0] ? resolve(others[0], root) : {}
  return { inner, nullable: others.length < anyOf.length }
}

function kindOf(schema: JsonSchema): FieldKind {
  if (Array.isArray(schema.enum)) return 'enum'
  if ('const' in schema) return 'enum'
  if (schema.type === 'integer') return 'integer'
  if (schema.type === 'number') return 'number'
  if (schema.type === 'boolean') return 'boolean'
  return 'text'
}

const num = (value: unknown) => (typeof value === 'number' ? value : undefined)

function titleOf(name: string, schema: JsonSchema): string {
  if (typeof schema.title === 'string') return schema.title
  return name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())
}

export function formFields(paramsSchema: JsonSchema): FormField[] {
  const properties = isRecord(paramsSchema.properties) ? paramsSchema.properties : {}
  const required = Array.isArray(paramsSchema.required) ? paramsSchema.required : []
  return Object.entries(properties).flatMap(([name, raw]) => {
    if (!isRecord(raw)) return []
    const outer = resolve(raw, paramsSchema)
    const { inner, nullable } = unwrapNullable(outer, paramsSchema)
    const kind = kindOf(inner)
    const options = Array.isArray(inner.enum) ? inner.enum : 'const' in inner ? [inner.const] : []
    const field: FormField = {
      name,
      title: titleOf(name, outer),
      description: typeof outer.description === 'string' ? outer.description : '',
      kind,
      options,
      nullable,
      required: required.includes(name),
      minimum: num(inner.minimum),
      maximum: num(inner.maximum),
      exclusiveMinimum: num(inner.exclusiveMinimum),
      exclusiveMaximum: num(inner.exclusiveMaximum),
    }
    if ('default' in outer) field.default = outer.default
    return [field]
  })
}

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string }

/**
 * What typing `raw` into a field stores. An empty field stores null where null is
 * allowed, else removes the param (the API then reports it as required or uses the default).
 */
export function parseInput(field: FormField, raw: string): Parsed {
  const text = raw.trim()
  if (text === '') return { ok: true, value: field.nullable ? null : undefined }
  if (field.kind === 'integer') {
    return /^[-+]?\d+$/.test(text) ? { ok: true, value: Number(text) } : { ok: false, message: 'Enter a whole number' }
  }
  if (field.kind === 'number') {
    const value = Number(text)
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: 'Enter a number' }
  }
  if (field.kind === 'enum') {
    const match = field.options.find((option) => String(option) === text)
    return match === undefined ? { ok: false, message: 'Pick one of the choices' } : { ok: true, value: match }
  }
  return { ok: true, value: raw }
}

/** The input text for a stored value. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  return String(value)
}

/** A hint such as "1 – 4096" or "> 0, < 1" for a numeric field. */
export function rangeHint(field: FormField): string {
  const parts: string[] = []
  if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`)
  if (field.exclusiveMinimum !== undefined) parts.push(`> ${field.exclusiveMinimum}`)
  if (field.maximum !== undefined) parts.push(`≤ ${field.maximum}`)
  if (field.exclusiveMaximum !== undefined) parts.push(`< ${field.exclusiveMaximum}`)
  return parts.join(', ')
}
