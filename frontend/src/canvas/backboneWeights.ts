// The uploaded weights files a Backbone can use: the project's list, and one upload at a
// time with its progress. An upload goes on when the picker closes (another node selected,
// weights changed) and is stored, but then selects nothing: the user has moved on.
import { useEffect, useRef, useState } from 'react'
import { ApiError, weightsApi } from '../api/client'
import type { WeightsFilePublic } from '../api/types'
import { uploadedMessage } from './backbone'

export interface UploadProgress {
  filename: string
  sent: number
  total: number
}

/** A refusal as the user reads it: the API's message and each located problem. */
export interface UploadFailure {
  message: string
  details: string[]
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function describeFailure(error: unknown): UploadFailure {
  if (error instanceof ApiError) return { message: error.message, details: error.problems.map((p) => p.message) }
  return { message: messageOf(error), details: [] }
}

export function useWeightsFiles(architecture: string | null, select: (sha256: string) => void) {
  const [files, setFiles] = useState<WeightsFilePublic[] | null>(null)
  const [listError, setListError] = useState<string | null>(null)
  const [progress, setProgress] = useState<UploadProgress | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [failure, setFailure] = useState<UploadFailure | null>(null)
  const uploading = useRef<AbortController | null>(null)
  const open = useRef(true)

  useEffect(() => {
    open.current = true
    const controller = new AbortController()
    weightsApi.list(controller.signal).then(
      (list) => setFiles(list.data),
      (error: unknown) => controller.signal.aborted || setListError(`Cannot list uploaded weights files: ${messageOf(error)}`),
    )
    return () => {
      open.current = false
      controller.abort()
    }
  }, [])

  const upload = async (file: File) => {
    const controller = new AbortController()
    uploading.current = controller
    setNotice(null)
    setFailure(null)
    setProgress({ filename: file.name, sent: 0, total: file.size })
    try {
      const onProgress = (sent: number, total: number) => setProgress({ filename: file.name, sent, total })
      const { file: stored, created } = await weightsApi.upload(file, architecture, onProgress, controller.signal)
      setFiles((previous) => [stored, ...(previous ?? []).filter((f) => f.id !== stored.id)])
      if (open.current) select(stored.sha256)
      setNotice(uploadedMessage(stored, created))
    } catch (error) {
      if (controller.signal.aborted) setNotice('Upload cancelled.')
      else setFailure(describeFailure(error))
    } finally {
      uploading.current = null
      setProgress(null)
    }
  }

  return { files, listError, progress, notice, failure, upload, cancel: () => uploading.current?.abort() }
}
