import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import type { PaletteEntry, WeightsFilePublic } from '../api/types'
import {
  blocksField,
  blocksFor,
  fileLabel,
  filesFor,
  trainableChanges,
  uploadedMessage,
  weightsChanges,
} from './backbone'
import { describeFailure } from './backboneWeights'
import { parseInput } from './schemaForm'

const sha = (c: string) => c.repeat(64)

function file(id: number, architecture: string | null, extra: Partial<WeightsFilePublic> = {}): WeightsFilePublic {
  return {
    id,
    project_id: 1,
    sha256: sha(String(id % 10)),
    filename: `w${id}.weights.h5`,
    size: 4_900_000,
    format: 'keras',
    architecture,
    created_at: `2026-11-25T10:0${id}:00`,
    ...extra,
  }
}

describe('weightsChanges', () => {
  it('clears weights_file when leaving "file", since the schema refuses it beside other sources', () => {
    expect(weightsChanges({ weights: 'file', weights_file: sha('a') }, 'imagenet')).toEqual([
      ['weights', 'imagenet'],
      ['weights_file', null],
    ])
    expect(weightsChanges({ weights: 'file', weights_file: sha('a') }, 'none')).toContainEqual(['weights_file', null])
  })

  it('only sets the source when there is no file to clear or the choice is "file"', () => {
    expect(weightsChanges({ weights: 'imagenet', weights_file: null }, 'none')).toEqual([['weights', 'none']])
    expect(weightsChanges({ weights: 'none' }, 'file')).toEqual([['weights', 'file']])
  })
})

describe('trainableChanges', () => {
  it('clears trainable_blocks when leaving last_blocks', () => {
    expect(trainableChanges({ trainable: 'last_blocks', trainable_blocks: 4 }, 'frozen')).toEqual([
      ['trainable', 'frozen'],
      ['trainable_blocks', null],
    ])
  })

  it('starts last_blocks at 1 so the draft stays valid, and keeps a number already there', () => {
    expect(trainableChanges({ trainable: 'all', trainable_blocks: null }, 'last_blocks')).toEqual([
      ['trainable', 'last_blocks'],
      ['trainable_blocks', 1],
    ])
    expect(trainableChanges({ trainable: 'last_blocks', trainable_blocks: 3 }, 'last_blocks')).toEqual([
      ['trainable', 'last_blocks'],
    ])
    expect(trainableChanges({ trainable: 'all' }, 'frozen')).toEqual([['trainable', 'frozen']])
  })
})

describe('blocks', () => {
  const entry = (architecture: string, blocks: number): PaletteEntry => ({
    key: `backbone:${architecture}`,
    label: architecture,
    type: 'Backbone',
    category: 'Pre-trained',
    description: '',
    params: { architecture },
    blocks,
  })
  const palette = [entry('ResNet50', 16), entry('SqueezeNet11', 8)]

  it('reads the count for the node architecture from the catalogue', () => {
    expect(blocksFor(palette, 'SqueezeNet11')).toBe(8)
    expect(blocksFor(palette, 'Unknown')).toBeUndefined()
  })

  it('says the count beside the number and leaves a count above it to the live checks', () => {
    const field = blocksField(16)
    expect(field.description).toBe('of 16 blocks, counted from the top')
    expect(parseInput(field, '20')).toEqual({ ok: true, value: 20 })
    expect(parseInput(field, '2.5')).toEqual({ ok: false, message: 'Enter a whole number' })
    expect(blocksField(undefined).description).toBe('counted from the top')
  })
})

describe('filesFor', () => {
  it('offers files for any network or for this one, newest first', () => {
    const files = [file(1, null), file(2, 'ResNet50'), file(3, 'SqueezeNet11')]
    expect(filesFor(files, 'SqueezeNet11', null).map((f) => f.id)).toEqual([3, 1])
    expect(filesFor(files, 'ResNet50', null).map((f) => f.id)).toEqual([2, 1])
  })

  it('keeps the selected file listed even when it was uploaded for another network', () => {
    const files = [file(1, null), file(2, 'ResNet50')]
    expect(filesFor(files, 'SqueezeNet11', sha('2')).map((f) => f.id)).toEqual([2, 1])
  })
})

describe('labels', () => {
  it('shows filename, size, short hash, format and the network it is for', () => {
    expect(fileLabel(file(3, 'SqueezeNet11'))).toBe('w3.weights.h5 · 4.7 MB · 333333333333 · keras · for SqueezeNet11')
    expect(fileLabel(file(4, null, { format: 'torchvision', filename: 's.pth', size: 2048 }))).toBe(
      's.pth · 2 kB · 444444444444 · torchvision',
    )
  })

  it('says when the same bytes were uploaded before', () => {
    expect(uploadedMessage(file(5, null), true)).toBe('Uploaded w5.weights.h5; selected.')
    expect(uploadedMessage(file(5, null), false)).toBe('Already uploaded as w5.weights.h5 (555555555555); selected.')
  })

  it('turns a refusal into its message and each located problem', () => {
    const refusal = new ApiError(422, 'invalid_input', 'The weights file cannot be stored', [
      { loc: ['body', 'file'], message: "'notes.txt' is not a Keras .weights.h5 file" },
    ])
    expect(describeFailure(refusal)).toEqual({
      message: 'The weights file cannot be stored',
      details: ["'notes.txt' is not a Keras .weights.h5 file"],
    })
    expect(describeFailure(new Error('boom'))).toEqual({ message: 'boom', details: [] })
  })
})
