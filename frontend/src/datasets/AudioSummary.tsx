import type { DatasetReport } from '../api/types'
import { formatDuration } from './recipe'
import { tally } from './explore'

function Counts({ title, counts }: { title: string; counts: Record<string, number> | undefined }) {
  const rows = tally(counts)
  return (
    <div>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">—</p>
      ) : (
        <ul className="tally">
          {rows.map(([value, count]) => (
            <li key={value}>
              <code>{value}</code> <span className="muted">× {count}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** report.audio: sample rates and channel layouts with their counts, and the total duration. */
export function AudioSummary({ report }: { report: DatasetReport | undefined }) {
  const audio = report?.audio
  return (
    <div className="image-summary" data-testid="audio-summary">
      <Counts title="Sample rates" counts={audio?.sample_rates} />
      <Counts title="Channels" counts={audio?.channels} />
      <div>
        <h3>Total length</h3>
        <p data-seconds={audio?.seconds}>{audio?.seconds === undefined ? '—' : formatDuration(audio.seconds)}</p>
      </div>
    </div>
  )
}
