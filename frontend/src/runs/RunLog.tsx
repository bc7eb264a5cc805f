import type { LogEvent } from '../api/types'

export function RunLog({ logs }: { logs: readonly LogEvent[] }) {
  if (logs.length === 0) return null
  return (
    <details className="run-log">
      <summary>
        Log ({logs.length} {logs.length === 1 ? 'line' : 'lines'})
      </summary>
      <ol>
        {logs.map((line) => (
          <li key={line.seq} className={`log-${line.level}`}>
            <time dateTime={line.at}>{new Date(line.at).toLocaleTimeString()}</time> {line.message}
          </li>
        ))}
      </ol>
    </details>
  )
}
