import type { ReactNode } from 'react'
import type { GraphVersionPublic } from '../api/types'
import { Link } from '../components/Link'
import { modelsPath } from '../router'

interface ModelHeaderProps {
  name: string
  /** null: nothing saved yet. */
  version: GraphVersionPublic | null
  latestVersion: number | null
  dirty: boolean
  children?: ReactNode
}

function versionText(version: GraphVersionPublic | null, latestVersion: number | null): string {
  if (version === null || version.version === 0) return 'not saved yet'
  if (latestVersion !== null && version.version < latestVersion) return `v${version.version} of ${latestVersion}`
  return `v${version.version}`
}

/** The model's name, which version the canvas started from, and whether edits are unsaved. */
export function ModelHeader({ name, version, latestVersion, dirty, children }: ModelHeaderProps) {
  return (
    <div className="page-title model-header">
      <p className="breadcrumb">
        <Link to={modelsPath}>Models</Link> ›
      </p>
      <h1 data-testid="model-name">{name}</h1>
      <span className="badge badge-version" data-testid="version-badge">
        {versionText(version, latestVersion)}
      </span>
      {dirty && (
        <span className="badge badge-dirty" data-testid="dirty-badge">
          unsaved changes
        </span>
      )}
      <div className="model-header-actions">{children}</div>
    </div>
  )
}
