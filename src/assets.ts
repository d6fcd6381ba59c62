// The files pages link by an address that changes with their content (the stylesheet, the
// challenge script): read once, here, so the pages that link them and the route that serves them
// share the address without importing each other.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

export interface VersionedAsset {
  /** Where the route serves it. */
  path: string
  type: string
  content: string
  version: string
  etag: string
  /** Where pages link it: the path with its version. */
  url: string
}

function versioned(file: string, path: string, type: string): VersionedAsset {
  const content = readFileSync(new URL(`../public/${file}`, import.meta.url), 'utf8')
  const version = createHash('sha256').update(content).digest('base64url').slice(0, 12)
  return { path, type, content, version, etag: `"${version}"`, url: `${path}?v=${version}` }
}

/** The one stylesheet (the layouts get its address as `it.stylesheet`). */
export const stylesheet = versioned('app.css', '/static/app.css', 'text/css; charset=utf-8')

/** The signing form's proof of work, linked only by the challenge page. */
export const challengeScript = versioned(
  'sign-challenge.js',
  '/static/sign-challenge.js',
  'text/javascript; charset=utf-8',
)

/** The share sheet and copy buttons of the share panel (views/partials/share.eta), where a browser has them. */
export const shareScript = versioned('share.js', '/static/share.js', 'text/javascript; charset=utf-8')

export const VERSIONED_ASSETS: readonly VersionedAsset[] = [stylesheet, challengeScript, shareScript]
