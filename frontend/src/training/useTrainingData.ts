import { useEffect, useState } from 'react'
import { api, ApiError, trainingApi } from '../api/client'
import type { DatasetPublic, GraphPublic, HyperparameterPreset } from '../api/types'
import { formSchema, type FormSchema } from './schema'

export interface TrainingData {
  graphs: GraphPublic[]
  datasets: DatasetPublic[]
  presets: HyperparameterPreset[]
  schema: FormSchema
  /** Whether this server previews splits and takes `split` on a run (POST /api/splits/preview exists). */
  splits: boolean
}

const hasPath = (doc: Record<string, unknown>, path: string) =>
  typeof doc.paths === 'object' && doc.paths !== null && path in doc.paths

const asError = (reason: unknown) => (reason instanceof ApiError ? reason : new ApiError(0, 'client', String(reason)))

/** Everything the page needs before it can draw the form, loaded together. */
export function useTrainingData(): { data: TrainingData | null; error: ApiError | null } {
  const [state, setState] = useState<{ data: TrainingData | null; error: ApiError | null }>({ data: null, error: null })
  useEffect(() => {
    const controller = new AbortController()
    const { signal } = controller
    Promise.all([api.graphs(signal), api.datasets(signal), trainingApi.presets(signal), trainingApi.openapi(signal)]).then(
      ([graphs, datasets, presets, doc]) =>
        setState({
          data: {
            graphs: graphs.data,
            datasets: datasets.data,
            presets,
            schema: formSchema(doc),
            splits: hasPath(doc, '/api/splits/preview'),
          },
          error: null,
        }),
      (reason: unknown) => {
        if (!signal.aborted) setState({ data: null, error: asError(reason) })
      },
    )
    return () => controller.abort()
  }, [])
  return state
}

/** A dataset's metadata columns that can keep groups together (GET /api/datasets/{id}/groups). */
export function useGroupColumns(datasetId: number | null): string[] {
  const [columns, setColumns] = useState<{ id: number | null; names: string[] }>({ id: null, names: [] })
  useEffect(() => {
    if (datasetId === null) return
    const controller = new AbortController()
    api.datasetGroups(datasetId, controller.signal).then(
      (groups) => setColumns({ id: datasetId, names: Object.keys(groups.columns) }),
      () => setColumns({ id: datasetId, names: [] }),
    )
    return () => controller.abort()
  }, [datasetId])
  return columns.id === datasetId ? columns.names : []
}
