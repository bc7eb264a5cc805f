// Saving the canvas: the first save of a new model creates it, later saves add versions
// whose parent is the version being edited. A refused save keeps the canvas as it is.
import { useRef, useState } from 'react'
import { ApiError, canvasApi } from '../api/client'
import type { GraphPublic, GraphVersionPublic } from '../api/types'
import { type GraphDoc, docKey, toSpec } from './model'
import { type CanvasProblem, fromErrorProblems } from './problems'

export interface SaveStatus {
  kind: 'saving' | 'saved' | 'error'
  message: string
}

interface SaveOptions {
  graphId: number | null
  version: GraphVersionPublic | null
  initialDoc: GraphDoc
  onSaved: (graph: GraphPublic | null, version: GraphVersionPublic) => void
}

export function useSave({ graphId, version, initialDoc, onSaved }: SaveOptions) {
  const [savedKey, setSavedKey] = useState(() => docKey(initialDoc))
  const [status, setStatus] = useState<SaveStatus | null>(null)
  // Problems of a refused save, for the content that was refused.
  const [refused, setRefused] = useState<{ key: string; problems: CanvasProblem[] } | null>(null)
  const target = useRef({ graphId, parentId: version?.id ?? null })
  const inFlight = useRef(false)
  const [isNew, setIsNew] = useState(graphId === null)

  async function save(doc: GraphDoc, name: string, message: string): Promise<boolean> {
    if (inFlight.current) return false
    const { graphId: id, parentId } = target.current
    if (id === null && name.trim() === '') {
      setStatus({ kind: 'error', message: 'Name the model before its first save.' })
      return false
    }
    const key = docKey(doc)
    inFlight.current = true
    setStatus({ kind: 'saving', message: 'Saving…' })
    try {
      const graph = toSpec(doc)
      let saved: GraphVersionPublic
      if (id === null) {
        const created = await canvasApi.createGraph({ name: name.trim(), graph, message })
        saved = created.latest_version
        target.current = { graphId: created.id, parentId: saved.id }
        setIsNew(false)
        onSaved(created, saved)
      } else {
        saved = await canvasApi.createVersion(id, { graph, message, parent_version_id: parentId })
        target.current = { graphId: id, parentId: saved.id }
        onSaved(null, saved)
      }
      setSavedKey(key)
      setRefused(null)
      setStatus({ kind: 'saved', message: `Saved as version ${saved.version}.` })
      return true
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'client', String(error))
      const problems = fromErrorProblems(apiError.problems, doc)
      setRefused({ key, problems })
      const located = problems.filter((p) => p.nodeId !== null).length
      const where = located > 0 ? ` ${located} problem${located === 1 ? ' is' : 's are'} marked on the nodes.` : ''
      setStatus({ kind: 'error', message: `Not saved: ${apiError.message}.${where} Your canvas is unchanged.` })
      return false
    } finally {
      inFlight.current = false
    }
  }

  return { save, status, savedKey, refused, isNew }
}
