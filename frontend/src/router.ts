// Routing on location.pathname with history.pushState; the server renders the
// same page shell for every app path (backend/web.py), so deep links work.
import { useSyncExternalStore } from 'react'

export type Route =
  | { name: 'runs' }
  | { name: 'run'; id: number }
  | { name: 'datasets' }
  | { name: 'dataset'; id: number }
  | { name: 'models' }
  | { name: 'newModel'; template: string | null; classes: number }
  | { name: 'model'; id: number; versionId: number | null }
  | { name: 'train'; graphVersionId: number | null; datasetId: number | null }
  | { name: 'compare'; ids: number[]; experiment: number | null }
  | { name: 'notFound'; path: string }

/** Template output classes when the query gives none (GET /api/graph-templates defaults to 3 too). */
export const DEFAULT_CLASSES = 3

function positiveInt(value: string | null): number | null {
  return value !== null && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : null
}

function matchModels(path: string, query: URLSearchParams): Route | null {
  if (path === '/models') return { name: 'models' }
  if (path === '/models/new') {
    const template = query.get('template')
    const classes = positiveInt(query.get('classes')) ?? DEFAULT_CLASSES
    return { name: 'newModel', template: template === '' ? null : template, classes }
  }
  const model = /^\/models\/(\d+)$/.exec(path)
  if (model?.[1] !== undefined) return { name: 'model', id: Number(model[1]), versionId: positiveInt(query.get('version')) }
  return null
}

export function matchRoute(pathname: string, search = ''): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  if (path === '/' || path === '/runs') return { name: 'runs' }
  const run = /^\/runs\/(\d+)$/.exec(path)
  if (run?.[1] !== undefined) return { name: 'run', id: Number(run[1]) }
  if (path === '/train') {
    const query = new URLSearchParams(search)
    return { name: 'train', graphVersionId: positiveInt(query.get('graph_version')), datasetId: positiveInt(query.get('dataset')) }
  }
  if (path === '/compare') {
    const query = new URLSearchParams(search)
    const ids = (query.get('ids') ?? '').split(',').map(positiveInt).filter((id): id is number => id !== null)
    return { name: 'compare', ids: [...new Set(ids)], experiment: positiveInt(query.get('experiment')) }
  }
  if (path === '/datasets') return { name: 'datasets' }
  const dataset = /^\/datasets\/(\d+)$/.exec(path)
  if (dataset?.[1] !== undefined) return { name: 'dataset', id: Number(dataset[1]) }
  return matchModels(path, new URLSearchParams(search)) ?? { name: 'notFound', path: pathname }
}

export const runPath = (id: number) => `/runs/${id}`
export const datasetPath = (id: number) => `/datasets/${id}`
export const modelsPath = '/models'
/** Runs side by side; with no ids, the page offers the paper experiment. */
export const comparePath = (ids: readonly number[] = []) => (ids.length === 0 ? '/compare' : `/compare?ids=${ids.join(',')}`)
export const paperComparePath = (experimentId: number) => `/compare?experiment=${experimentId}`

/** The training page, with a model version and/or dataset already chosen (from a model page, say). */
export function trainPath(graphVersionId: number | null = null, datasetId: number | null = null): string {
  const query = new URLSearchParams()
  if (graphVersionId !== null) query.set('graph_version', String(graphVersionId))
  if (datasetId !== null) query.set('dataset', String(datasetId))
  const text = query.toString()
  return text === '' ? '/train' : `/train?${text}`
}

/** Editing a model: its latest version, or the given version id. */
export function modelPath(id: number, versionId: number | null = null): string {
  return versionId === null ? `/models/${id}` : `/models/${id}?version=${versionId}`
}

export function newModelPath(template: string | null = null, classes: number = DEFAULT_CLASSES): string {
  if (template === null) return '/models/new'
  const query = new URLSearchParams({ template })
  if (classes !== DEFAULT_CLASSES) query.set('classes', String(classes))
  return `/models/new?${query}`
}

const NAVIGATE = 'dlstudio:navigate'

// Unsaved work on a page (the model editor) asks before the app's links or Back leave it.
let leaveQuestion: (() => string | null) | null = null
let currentUrl = ''

const here = () => window.location.pathname + window.location.search

/** While registered, leaving through the app asks `question()` first (null: leave freely). */
export function guardLeaving(question: () => string | null): () => void {
  leaveQuestion = question
  currentUrl = here()
  return () => {
    if (leaveQuestion === question) leaveQuestion = null
  }
}

function mayLeave(): boolean {
  const question = leaveQuestion?.() ?? null
  return question === null || window.confirm(question)
}

// Registered when this module loads, before any routing subscriber, so a refused Back
// can stop them from ever seeing it (node tests have no window).
if (typeof window !== 'undefined') window.addEventListener('popstate', onBack, { capture: true })

function onBack(event: PopStateEvent): void {
  if (mayLeave()) {
    currentUrl = here()
    return
  }
  window.history.pushState(null, '', currentUrl)
  event.stopImmediatePropagation()
}

/** `replace` swaps the current history entry (after a first save, Back should not reopen the empty editor). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return
  if (!mayLeave()) return
  currentUrl = path
  if (options.replace === true) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  window.dispatchEvent(new Event(NAVIGATE))
  window.scrollTo(0, 0)
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE, onChange)
  }
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname)
}

/** The query string too (with its '?'), for routes such as /models/3?version=7. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search)
}

/** True for a plain left click; modified clicks keep the browser's behaviour (new tab etc.). */
export function isPlainClick(event: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean }) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}
