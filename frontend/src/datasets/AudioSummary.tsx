import type { DatasetReport } from '../api/types'
import { formatDuration } from './recipe'
import { Tally } from './Tally'

/** report.audio: sample rates and channel layouts with their counts, and the total duration. */
export function AudioSummary({ report }: { report: DatasetReport | undefined }) {
  const audio = report?.audio
  return (
    <div className="image-summary" data-testid="audio-summary">
      <Tally title="Sample rates" counts={audio?.sample_rates} />
      <Tally title="Channels" counts={audio?.channels} />
      <div>
        <h3>Total length</h3>
        <p data-seconds={audio?.seconds}>{audio?.seconds === undefined ? '—' : formatDuration(audio.seconds)}</p>
      </div>
    </div>
  )
}
