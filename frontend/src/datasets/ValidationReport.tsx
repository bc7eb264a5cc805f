import type { Problem } from '../api/types'
import { formatLoc } from './explore'

/** Every problem the server found, each with where it is (file, CSV row, column). */
export function ValidationReport({ message, problems }: { message: string; problems: Problem[] }) {
  return (
    <div className="validation" role="alert">
      <strong>{message}</strong>
      {problems.length > 0 && (
        <>
          <p className="muted">
            {problems.length} problem{problems.length === 1 ? '' : 's'}; fix the zip and upload it again, or pick other
            columns below.
          </p>
          <ul data-testid="validation-report">
            {problems.map((problem, i) => (
              <li key={i} data-loc={problem.loc.join('.')}>
                {problem.loc.length > 0 && <code>{formatLoc(problem.loc)}</code>} {problem.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
