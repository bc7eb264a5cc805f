import { ComparePage } from './compare/ComparePage'
import { Header } from './components/Header'
import { DatasetPage } from './datasets/DatasetPage'
import { DatasetsPage } from './datasets/DatasetsPage'
import { NotFound } from './components/NotFound'
import { ModelPage } from './models/ModelPage'
import { ModelsPage } from './models/ModelsPage'
import { NewModelPage } from './models/NewModelPage'
import { matchRoute, usePathname, useSearch } from './router'
import { RunPage } from './runs/RunPage'
import { RunsPage } from './runs/RunsPage'
import { TrainPage } from './training/TrainPage'

function Page() {
  const route = matchRoute(usePathname(), useSearch())
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
    case 'models':
      return <ModelsPage />
    case 'newModel':
      return <NewModelPage key={`${route.template}:${route.classes}`} template={route.template} classes={route.classes} />
    case 'model':
      // Keyed by model only: moving between its versions keeps the page (and its history panel).
      return <ModelPage key={route.id} id={route.id} versionId={route.versionId} />
    case 'train':
      // The query seeds the choices; the page then keeps the URL in step itself (replaceState).
      return <TrainPage graphVersionId={route.graphVersionId} datasetId={route.datasetId} />
    case 'compare':
      return <ComparePage key={`${route.ids.join(',')}:${route.experiment}`} ids={route.ids} experiment={route.experiment} />
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
