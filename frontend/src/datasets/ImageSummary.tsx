import type { DatasetReport } from '../api/types'
import { Tally } from './Tally'

export function ImageSummary({ report }: { report: DatasetReport | undefined }) {
  return (
    <div className="image-summary" data-testid="image-summary">
      <Tally title="Sizes (W×H)" counts={report?.images?.sizes} />
      <Tally title="Modes" counts={report?.images?.modes} />
    </div>
  )
}
