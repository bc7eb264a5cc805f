import type { CanvasProblem } from './problems'

interface ProblemsPanelProps {
  problems: CanvasProblem[]
  /** Set while live checks cannot run (the analysis request failed). */
  notice: string | null
  onPick: (nodeId: string) => void
}

/** Every problem in the graph; clicking one selects its node. */
export function ProblemsPanel({ problems, notice, onPick }: ProblemsPanelProps) {
  return (
    <section className="canvas-problems" data-testid="problems-panel" aria-label="Problems">
      <h3>
        Problems <span className="muted">({problems.length})</span>
      </h3>
      {notice && <p className="canvas-notice">{notice}</p>}
      {problems.length === 0 ? (
        <p className="muted">No problems.</p>
      ) : (
        <ul>
          {problems.map((problem, index) => (
            <li key={`${problem.nodeId ?? ''}:${problem.param ?? ''}:${index}`}>
              {problem.nodeId === null ? (
                <span>{problem.message}</span>
              ) : (
                <button type="button" className="link-button" onClick={() => onPick(problem.nodeId as string)}>
                  <code>{problem.nodeId}</code>
                  {problem.param && <span className="muted"> · {problem.param}</span>}: {problem.message}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
