// Small facts about graphs and templates the pages show or hand to the editor.
import type { GraphTemplate, GraphVersionPublic } from '../api/types'
import { DEFAULT_CLASSES } from '../router'

/** Output classes typed for the templates: a whole number of 2 or more, else the default. */
export function classCount(text: string): number {
  const value = Number(text)
  return Number.isInteger(value) && value >= 2 ? value : DEFAULT_CLASSES
}

/** Nodes in a stored graph document; 0 for a document without a node list. */
export function nodeCount(spec: Record<string, unknown>): number {
  return Array.isArray(spec.nodes) ? spec.nodes.length : 0
}

/**
 * A template as the editor's starting version. It is not stored (id 0, version 0): the editor
 * has no graph id yet, so its first save creates the graph from this content.
 */
export function templateVersion(template: GraphTemplate): GraphVersionPublic {
  return {
    id: 0,
    graph_id: 0,
    version: 0,
    schema_version: typeof template.graph.schema_version === 'number' ? template.graph.schema_version : 1,
    content_hash: '',
    spec: template.graph,
    parent_id: null,
    message: `From template: ${template.name}`,
    created_at: new Date(0).toISOString(),
  }
}

/** A name for a model imported from a file: the file name without its extension. */
export function nameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.[^.]+$/, '').trim()
  return stem === '' ? 'Imported model' : stem
}

/** A file name for a version's Keras script: letters, digits and dashes only. */
export function scriptFileName(modelName: string, versionNumber: number): string {
  const slug = modelName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  return `${slug === '' ? 'model' : slug}-v${versionNumber}.py`
}
