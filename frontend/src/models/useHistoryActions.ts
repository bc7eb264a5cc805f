import { useState } from 'react'
import { ApiError, api } from '../api/client'
import type { GraphPublic, GraphVersionPublic } from '../api/types'
import { modelPath, navigate } from '../router'

interface Editing {
  graph: GraphPublic
  version: GraphVersionPublic
  /** Puts a version on the canvas (and in the URL). */
  edit: (graph: GraphPublic, version: GraphVersionPublic) => void
  confirmDiscard: (action: string) => boolean
  setDirty: (dirty: boolean) => void
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'client', String(error))
}

/** Open, restore and fork from the history; each asks first when unsaved edits would be lost. */
export function useHistoryActions({ graph, version, edit, confirmDiscard, setDirty }: Editing) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  // Bumped when the user discards edits by reopening the version already on the canvas.
  const [reopened, setReopened] = useState(0)

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (failure) {
      setError(asApiError(failure))
    } finally {
      setBusy(false)
    }
  }
  const onOpen = (target: GraphVersionPublic) => {
    if (!confirmDiscard(`Open version ${target.version}`)) return
    setDirty(false)
    if (target.id === version.id) setReopened((n) => n + 1)
    else navigate(modelPath(graph.id, target.id))
  }
  const onRestore = (target: GraphVersionPublic) => {
    if (!confirmDiscard(`Restore version ${target.version}`)) return
    void run(async () => {
      const restored = await api.restoreGraph(graph.id, target.id)
      edit({ ...graph, latest_version: restored }, restored)
    })
  }
  const onFork = (target: GraphVersionPublic) => {
    const name = window.prompt(`Name of the new model (a copy of version ${target.version})`, `${graph.name} (fork)`)
    if (name === null || name.trim() === '' || !confirmDiscard('Leave for the fork')) return
    void run(async () => {
      const forked = await api.forkGraph(graph.id, target.id, name.trim())
      setDirty(false)
      navigate(modelPath(forked.id))
    })
  }
  return { busy, error, reopened, onOpen, onRestore, onFork }
}
