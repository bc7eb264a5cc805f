import { useCallback } from 'react'
import { compareApi } from '../api/client'
import { usePolling } from '../api/usePolling'
import { ErrorBox } from '../components/ErrorBox'
import { Link } from '../components/Link'
import { CompareView } from './CompareView'
import { PaperForm } from './PaperForm'
import { PaperList } from './PaperList'
import './compare.css'

const INTERVAL_MS = 3_000

function RunsComparison({ ids }: { ids: number[] }) {
  const key = ids.join(',')
  const load = useCallback((signal: AbortSignal) => compareApi.compare(key.split(',').map(Number), signal), [key])
  const { data, error } = usePolling(load, INTERVAL_MS)
  return (
    <>
      <div className="page-title">
        <h1>Compare runs</h1>
        <span className="muted">{ids.length} runs</span>
      </div>
      {error !== null && <ErrorBox error={error} title="Could not load the runs" />}
      {data === null && error === null && <p className="muted">Loading…</p>}
      {data !== null && <CompareView data={data} />}
    </>
  )
}

function PaperComparison({ id }: { id: number }) {
  const load = useCallback((signal: AbortSignal) => compareApi.paper(id, signal), [id])
  const { data, error } = usePolling(load, INTERVAL_MS)
  const labels = new Map(data?.models.map((m) => [m.run_id, m.label]) ?? [])
  return (
    <>
      <div className="page-title">
        <h1>{data?.name ?? `Experiment ${id}`}</h1>
        {data !== null && (
          <span className="runs-actions" data-testid="report-links">
            <a className="button secondary" href={data.reports.csv}>CSV</a>{' '}
            <a className="button secondary" href={data.reports.md}>Markdown</a>{' '}
            <a className="button" href={data.reports.html} target="_blank" rel="noreferrer">Printable report</a>
          </span>
        )}
      </div>
      {error !== null && <ErrorBox error={error} title="Could not load the experiment" />}
      {data === null && error === null && <p className="muted">Loading…</p>}
      {data !== null && <CompareView data={data.comparison} labels={labels} />}
    </>
  )
}

export function ComparePage({ ids, experiment }: { ids: number[]; experiment: number | null }) {
  return (
    <section className="page compare-page">
      {experiment !== null ? (
        <PaperComparison key={experiment} id={experiment} />
      ) : ids.length > 0 ? (
        <RunsComparison ids={ids} />
      ) : (
        <>
          <div className="page-title">
            <h1>Compare</h1>
          </div>
          <p className="muted">
            Tick runs on the <Link to="/runs">runs list</Link> and choose “Compare selected”, or reproduce the paper below.
          </p>
          <PaperForm />
          <PaperList />
        </>
      )}
    </section>
  )
}
