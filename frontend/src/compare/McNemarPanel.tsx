import { useState } from 'react'
import { ApiError, compareApi } from '../api/client'
import type { CompareRow, McNemarPublic } from '../api/types'
import { ErrorBox } from '../components/ErrorBox'

function describe(result: McNemarPublic): string {
  const verdict = result.p_value < 0.05 ? 'differ significantly (p < 0.05)' : 'do not differ significantly (p ≥ 0.05)'
  return `Runs ${result.a} and ${result.b} ${verdict}.`
}

/** McNemar's test between two of the compared runs; the API refuses runs scored on different test items. */
export function McNemarPanel({ rows }: { rows: readonly CompareRow[] }) {
  const choices = rows.filter((r) => r.has_predictions)
  const [a, setA] = useState<number | null>(choices[0]?.run_id ?? null)
  const [b, setB] = useState<number | null>(choices[1]?.run_id ?? null)
  const [result, setResult] = useState<McNemarPublic | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  if (choices.length < 2) {
    return <p className="muted" data-testid="mcnemar">McNemar's test needs two runs with test predictions (finished runs evaluated on a test split).</p>
  }
  const run = async () => {
    if (a === null || b === null) return
    setError(null)
    try {
      setResult(await compareApi.mcnemar(a, b))
    } catch (e) {
      setResult(null)
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)))
    }
  }
  const picker = (label: string, value: number | null, set: (id: number) => void) => (
    <label className="name-field">
      {label}
      <select value={value ?? ''} onChange={(e) => set(Number(e.target.value))}>
        {choices.map((r) => <option key={r.run_id} value={r.run_id}>#{r.run_id} {r.model}</option>)}
      </select>
    </label>
  )
  return (
    <section className="mcnemar" data-testid="mcnemar">
      <h2>McNemar's test</h2>
      <div className="compare-controls">
        {picker('Run A', a, setA)}
        {picker('Run B', b, setB)}
        <button type="button" className="button" onClick={() => void run()} disabled={a === null || b === null || a === b}>Test</button>
      </div>
      {error !== null && <ErrorBox error={error} title="Cannot test these runs" />}
      {result !== null && (
        <div data-testid="mcnemar-result">
          <p><strong>{describe(result)}</strong></p>
          <p className="muted">
            {result.n} test items; only A right: {result.b01}; only B right: {result.b10}; {result.exact ? 'exact binomial test' : 'chi-square with continuity correction'},
            statistic {result.statistic.toFixed(3)}, p = {result.p_value.toPrecision(3)}.
          </p>
        </div>
      )}
    </section>
  )
}
