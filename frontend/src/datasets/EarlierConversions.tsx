import { useCallback } from 'react'
import { api } from '../api/client'
import { ConversionProgress } from './ConversionProgress'
import { useLoad } from './useLoad'

/** Conversions of this dataset started before the page loaded: a reload mid-run still shows it. */
export function EarlierConversions({ datasetId }: { datasetId: number }) {
  const { data } = useLoad(useCallback((signal: AbortSignal) => api.conversions(signal), []))
  const mine = (data?.data ?? []).filter((conversion) => conversion.source_dataset_id === datasetId)
  if (mine.length === 0) return null
  return (
    <section className="earlier-conversions" data-testid="earlier-conversions">
      <h3>Earlier conversions</h3>
      {mine.map((conversion) => (
        <ConversionProgress key={conversion.id} initial={conversion} />
      ))}
    </section>
  )
}
