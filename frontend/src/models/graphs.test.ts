import { describe, expect, it } from 'vitest'
import { classCount, nameFromFile, nodeCount, scriptFileName, templateVersion } from './graphs'

describe('nodeCount', () => {
  it('counts the nodes of a graph document', () => {
    expect(nodeCount({ nodes: [{}, {}, {}] })).toBe(3)
    expect(nodeCount({})).toBe(0)
  })
})

describe('templateVersion', () => {
  it('hands the template graph to the editor as an unsaved starting version', () => {
    const graph = { schema_version: 1, nodes: [], edges: [] }
    const version = templateVersion({ id: 'small-cnn', name: 'Small CNN', description: '', graph })
    expect(version.spec).toBe(graph)
    expect(version.id).toBe(0)
    expect(version.message).toBe('From template: Small CNN')
  })
})

describe('file names', () => {
  it('names an import after its file', () => {
    expect(nameFromFile('resnet50-emotions.keras')).toBe('resnet50-emotions')
    expect(nameFromFile('.keras')).toBe('Imported model')
  })

  it('names a script after the model and version', () => {
    expect(scriptFileName('Paper: ResNet50', 3)).toBe('paper-resnet50-v3.py')
    expect(scriptFileName('???', 1)).toBe('model-v1.py')
  })
})

describe('classCount', () => {
  it('takes a whole number of two or more, and falls back to three while the box is being edited', () => {
    expect(classCount('7')).toBe(7)
    expect(classCount('')).toBe(3)
    expect(classCount('1')).toBe(3)
    expect(classCount('2.5')).toBe(3)
  })
})
