import { HealthIndicator } from './HealthIndicator'
import { Link } from './Link'

export function Header() {
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        dlstudio
      </Link>
      <nav>
        <Link to="/">Runs</Link>
        <Link to="/datasets">Datasets</Link>
        <Link to="/models">Models</Link>
        <Link to="/train">Train</Link>
        <Link to="/compare">Compare</Link>
      </nav>
      <HealthIndicator />
    </header>
  )
}
