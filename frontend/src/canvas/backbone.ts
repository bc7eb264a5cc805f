// The Backbone inspector's rules, kept out of the component so they can be tested:
// which params a choice changes, which uploaded files fit, and how they read.
import type { PaletteEntry, WeightsFilePublic } from '../api/types'
import { formatBytes } from '../datasets/uploadPlan'
import type { FormField } from './schemaForm'

/** The params the backbone fields edit; the generic form shows the rest (architecture). */
export const BACKBONE_FIELDS = ['weights', 'weights_file', 'trainable', 'trainable_blocks'] as const

export type Weights = 'imagenet' | 'none' | 'file'
export type Trainable = 'all' | 'frozen' | 'last_blocks'

export const WEIGHTS_CHOICES: readonly [Weights, string][] = [
  ['imagenet', 'ImageNet (pre-trained)'],
  ['none', 'None (random init)'],
  ['file', 'Uploaded file'],
]

export const TRAINABLE_CHOICES: readonly [Trainable, string][] = [
  ['all', 'All layers'],
  ['frozen', 'Frozen (none train)'],
  ['last_blocks', 'Last N blocks'],
]

/** One param to set: [name, value]. */
export type ParamChange = [string, unknown]

/**
 * Choosing a weights source. The schema refuses a weights_file beside any source but
 * "file", so leaving "file" clears it.
 */
export function weightsChanges(params: Record<string, unknown>, next: Weights): ParamChange[] {
  const changes: ParamChange[] = [['weights', next]]
  if (next !== 'file' && params.weights_file != null) changes.push(['weights_file', null])
  return changes
}

/**
 * Choosing what trains. trainable_blocks is required with "last_blocks" and refused
 * otherwise: leaving clears it; arriving starts at 1 (only the top block trains) so the
 * draft is valid straight away.
 */
export function trainableChanges(params: Record<string, unknown>, next: Trainable): ParamChange[] {
  const changes: ParamChange[] = [['trainable', next]]
  if (next !== 'last_blocks' && params.trainable_blocks != null) changes.push(['trainable_blocks', null])
  if (next === 'last_blocks' && params.trainable_blocks == null) changes.push(['trainable_blocks', 1])
  return changes
}

/** The block count the catalogue gives for an architecture (undefined: not known). */
export function blocksFor(palette: readonly PaletteEntry[], architecture: unknown): number | undefined {
  const entry = palette.find((e) => e.type === 'Backbone' && e.params.architecture === architecture)
  return entry?.blocks
}

/**
 * Files offered for a backbone: those uploaded for any network or for this one, newest
 * first. The selected file stays listed even when it does not fit, so the select shows
 * what the node holds (the live checks say why it does not fit).
 */
export function filesFor(
  files: readonly WeightsFilePublic[],
  architecture: unknown,
  selected: unknown,
): WeightsFilePublic[] {
  const fits = files.filter((f) => f.architecture === null || f.architecture === architecture || f.sha256 === selected)
  return [...fits].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)
}

export const shortHash = (sha256: string) => sha256.slice(0, 12)

/** "squeezenet.weights.h5 · 4.7 MB · 3f2a9c01d4e5 · keras" */
export function fileLabel(file: WeightsFilePublic): string {
  const made = file.architecture ? ` · for ${file.architecture}` : ''
  return `${file.filename} · ${formatBytes(file.size)} · ${shortHash(file.sha256)} · ${file.format}${made}`
}

/** What the picker says after an upload: a re-upload of the same bytes gives the stored record. */
export function uploadedMessage(file: WeightsFilePublic, created: boolean): string {
  return created
    ? `Uploaded ${file.filename}; selected.`
    : `Already uploaded as ${file.filename} (${shortHash(file.sha256)}); selected.`
}

/** The "last N blocks" number input; N above the count is left to the live checks to explain. */
export function blocksField(blocks: number | undefined): FormField {
  return {
    name: 'trainable_blocks',
    title: 'Blocks that train',
    description: blocks === undefined ? 'counted from the top' : `of ${blocks} blocks, counted from the top`,
    kind: 'integer',
    options: [],
    nullable: false,
    required: true,
  }
}
