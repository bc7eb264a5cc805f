// Form values <-> hyperparameters JSON. Numbers stay as the typed text until
// sent, so "1e-" can be typed on the way to "1e-4"; text that is not a number is
// sent as is and the check endpoint reports it under its field.
import type { Problem } from '../api/types'
import { shownFields, type FieldSpec, type FormSchema, type VariantGroup } from './schema'

/** Dotted path -> typed text, chosen option or checkbox; a variant's type at "<key>.type". */
export type FormValues = Readonly<Record<string, string | boolean>>

type Json = Record<string, unknown>

function get(object: unknown, path: string): unknown {
  let value: unknown = object
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Json)[part]
  }
  return value
}

function set(object: Json, path: string, value: unknown): void {
  const parts = path.split('.')
  let target = object
  for (const part of parts.slice(0, -1)) {
    const next = target[part]
    if (typeof next !== 'object' || next === null) target[part] = {}
    target = target[part] as Json
  }
  target[parts.at(-1) ?? path] = value
}

/** A JSON value as the form holds it: numbers as text (1e-8 stays 1e-8), null as empty text. */
export function toFormValue(value: unknown): string | boolean {
  if (typeof value === 'boolean') return value
  if (value === null || value === undefined) return ''
  return String(value)
}

function parseField(field: FieldSpec, value: string | boolean | undefined): unknown {
  if (field.kind === 'boolean') return value === true
  const text = typeof value === 'string' ? value.trim() : ''
  if (field.kind === 'enum') return text
  if (text === '') return field.nullable ? null : text
  const number = Number(text)
  return Number.isFinite(number) ? number : text
}

const typePath = (group: VariantGroup) => `${group.key}.type`

function variantType(group: VariantGroup, values: FormValues): string | null {
  const type = values[typePath(group)]
  return typeof type === 'string' && group.types.includes(type) ? type : null
}

/** The fields on screen now: every plain group's, and each variant group's chosen type's. */
export function visibleFields(schema: FormSchema, values: FormValues): FieldSpec[] {
  return schema.groups.flatMap((group) =>
    shownFields(group, group.kind === 'variant' ? variantType(group, values) : null),
  )
}

/** Fills the form from hyperparameters JSON (a preset, a run); missing fields take the schema default. */
export function fromHyperparameters(schema: FormSchema, hp: unknown): FormValues {
  const values: Record<string, string | boolean> = {}
  for (const group of schema.groups) {
    if (group.kind === 'variant') {
      const type = get(hp, typePath(group))
      values[typePath(group)] = typeof type === 'string' ? type : (group.types[0] ?? '')
    }
  }
  for (const field of visibleFields(schema, values)) {
    const value = get(hp, field.path)
    values[field.path] = toFormValue(value === undefined ? field.default : value)
  }
  return values
}

/** The JSON the check endpoint and POST /api/runs take; only the chosen type's fields. */
export function toHyperparameters(schema: FormSchema, values: FormValues): Json {
  const hp: Json = {}
  for (const group of schema.groups) {
    if (group.kind === 'variant') set(hp, typePath(group), values[typePath(group)] ?? '')
  }
  for (const field of visibleFields(schema, values)) set(hp, field.path, parseField(field, values[field.path]))
  return hp
}

/** Choosing another optimizer (loss, schedule) starts from that type's defaults. */
export function chooseType(schema: FormSchema, values: FormValues, key: string, type: string): FormValues {
  const group = schema.groups.find((g): g is VariantGroup => g.kind === 'variant' && g.key === key)
  if (group === undefined) return values
  const kept = Object.fromEntries(Object.entries(values).filter(([path]) => !path.startsWith(`${key}.`)))
  const next: Record<string, string | boolean> = { ...kept, [typePath(group)]: type }
  for (const field of group.fields[type] ?? []) next[field.path] = toFormValue(field.default)
  return next
}

export function setValue(values: FormValues, path: string, value: string | boolean): FormValues {
  return { ...values, [path]: value }
}

/** Applies a warning's `fix` ({"optimizer.learning_rate": 1.0}); a type in it switches the variant first. */
export function applyFix(schema: FormSchema, values: FormValues, fix: Readonly<Record<string, unknown>>): FormValues {
  let next = values
  const entries = Object.entries(fix).sort(([a], [b]) => Number(b.endsWith('.type')) - Number(a.endsWith('.type')))
  for (const [path, value] of entries) {
    if (path.endsWith('.type') && typeof value === 'string') next = chooseType(schema, next, path.slice(0, -5), value)
    else next = setValue(next, path, toFormValue(value))
  }
  return next
}

/** "optimizer.learning_rate to 1" — what an Apply fix button will do, in words. */
export function describeFix(fix: Readonly<Record<string, unknown>>): string {
  return Object.entries(fix)
    .map(([path, value]) => `${path} to ${JSON.stringify(value)}`)
    .join(', ')
}

export interface LocatedProblems {
  byPath: Record<string, string[]>
  /** Problems at no field on screen (cross-field ones at the root, unknown fields). */
  general: string[]
}

const PREFIX = ['body', 'hyperparameters']

/** Puts each problem under its field; a problem at a field not on screen goes to `general` with its path. */
export function locateProblems(problems: readonly Problem[], schema: FormSchema, values: FormValues): LocatedProblems {
  const known = new Set(visibleFields(schema, values).map((f) => f.path))
  for (const group of schema.groups) if (group.kind === 'variant') known.add(typePath(group))
  const byPath: Record<string, string[]> = {}
  const general: string[] = []
  for (const problem of problems) {
    const loc = problem.loc.map(String)
    const start = PREFIX.every((part, i) => loc[i] === part) ? PREFIX.length : loc[0] === 'body' ? 1 : 0
    const path = loc.slice(start).join('.')
    if (known.has(path)) (byPath[path] ??= []).push(problem.message)
    else general.push(path === '' ? problem.message : `${path}: ${problem.message}`)
  }
  return { byPath, general }
}
