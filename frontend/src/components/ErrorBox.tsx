import type { ApiError } from '../api/client'

export function ErrorBox({ error, title }: { error: ApiError; title?: string }) {
  return (
    <div className="error-box" role="alert">
      <strong>{title ?? 'Something went wrong'}</strong>
      <p>{error.message}</p>
      {error.problems.length > 0 && (
        <ul>
          {error.problems.map((problem, i) => (
            <li key={i}>
              {problem.loc.length > 0 && <code>{problem.loc.join(' › ')}</code>} {problem.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
