import { Header } from './components/Header'
import { DatasetPage } from './datasets/DatasetPage'
import { DatasetsPage } from './datasets/DatasetsPage'
import { NotFound } from './components/NotFound'
import { matchRoute, usePathname } from './router'
import { RunPage } from './runs/RunPage'
import { RunsPage } from './runs/RunsPage'

function Page() {
  const route = matchRoute(usePathname())
  switch (route.name) {
    case 'runs':
      return <RunsPage />
    case 'run':
      // Keyed so moving between runs starts a fresh stream and state.
      return <RunPage key={route.id} id={route.id} />
    case 'datasets':
      return <DatasetsPage />
    case 'dataset':
      return <DatasetPage key={route.id} id={route.id} />
    case 'notFound':
      return <NotFound path={route.path} />
  }
}

export function App() {
  return (
    <>
      <Header />
      <main className="app-main">
        <Page />
      </main>
    </>
  )
}
