// Routing on location.pathname with history.pushState; the server renders the
// same page shell for every app path (backend/web.py), so deep links work.
import { useSyncExternalStore } from 'react'

export type Route =
  | { name: 'runs' }
  | { name: 'run'; id: number }
  | { name: 'datasets' }
  | { name: 'dataset'; id: number }
  | { name: 'notFound'; path: string }

export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  if (path === '/' || path === '/runs') return { name: 'runs' }
  const run = /^\/runs\/(\d+)$/.exec(path)
  if (run?.[1] !== undefined) return { name: 'run', id: Number(run[1]) }
  if (path === '/datasets') return { name: 'datasets' }
  const dataset = /^\/datasets\/(\d+)$/.exec(path)
  if (dataset?.[1] !== undefined) return { name: 'dataset', id: Number(dataset[1]) }
  return { name: 'notFound', path: pathname }
}

export const runPath = (id: number) => `/runs/${id}`
export const datasetPath = (id: number) => `/datasets/${id}`

const NAVIGATE = 'dlstudio:navigate'

export function navigate(path: string): void {
  if (path === window.location.pathname) return
  window.history.pushState(null, '', path)
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

/** True for a plain left click; modified clicks keep the browser's behaviour (new tab etc.). */
export function isPlainClick(event: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean }) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}
