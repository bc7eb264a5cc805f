import { Link } from './Link'

export function NotFound({ path }: { path: string }) {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>. <Link to="/">Back to runs</Link>
      </p>
    </section>
  )
}
