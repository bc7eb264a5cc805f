import { useCallback } from 'react'
import { api } from '../api/client'
import type { DatasetPublic } from '../api/types'
import { Link } from '../components/Link'
import { datasetPath } from '../router'
import { recipeSummary } from './recipe'
import { useLoad } from './useLoad'

function MappingList({ mapping }: { mapping: Record<string, unknown> }) {
  return (
    <ul className="mapping" data-testid="derivation-mapping">
      {Object.entries(mapping).map(([from, to]) => (
        <li key={from} data-from={from} data-to={to === null ? '' : String(to)}>
          <code>{from}</code> → {to === null ? <em>dropped</em> : <code>{String(to)}</code>}
        </li>
      ))}
    </ul>
  )
}

function Derivation({ derivation }: { derivation: Record<string, unknown> }) {
  const { type, mapping, recipe } = derivation
  if (type === 'relabel' && typeof mapping === 'object' && mapping !== null) {
    return (
      <>
        {' '}
        by relabelling: <MappingList mapping={mapping as Record<string, unknown>} />
      </>
    )
  }
  if (type === 'spectrograms' && typeof recipe === 'object' && recipe !== null) {
    return (
      <>
        {' '}
        as spectrograms: <span data-testid="derivation-recipe">{recipeSummary(recipe as Record<string, unknown>)}</span>
      </>
    )
  }
  return <> ({String(type)})</>
}

/** "Derived from <parent>" with how: the relabel mapping or the spectrogram recipe. */
export function DerivedFrom({ dataset }: { dataset: DatasetPublic }) {
  if (dataset.parent_id == null) return null
  return (
    <div className="derived-from" data-testid="derived-from" data-parent-id={dataset.parent_id}>
      Derived from <ParentLink id={dataset.parent_id} />
      {dataset.derivation != null && <Derivation derivation={dataset.derivation} />}
    </div>
  )
}

function ParentLink({ id }: { id: number }) {
  const load = useCallback((signal: AbortSignal) => api.dataset(id, signal), [id])
  const { data: parent } = useLoad(load)
  return <Link to={datasetPath(id)}>{parent === null ? `dataset ${id}` : parent.name}</Link>
}
