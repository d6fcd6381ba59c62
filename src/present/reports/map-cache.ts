// The tracker's map, drawn and compressed once per version (its marks and language, map-marks.ts)
// by each app instance: a new published report makes a new version, and the tracker page links
// the image by it. The outlines are read from world-atlas when the map is first asked for.
import { encodeAll, type Encoded } from '../../compression.ts'
import { createCache } from '../../cache.ts'
import type { Locale } from '../../locale.ts'
import type { MapFigures } from './map-marks.ts'
import { loadOutlines, mapSvg, type Outlines } from './map-svg.ts'

export interface DrawnTrackerMap {
  encoded: Encoded
  /** The version, which names the marks and the language; weak, as each encoding has its own bytes. */
  etag: string
}

export interface TrackerMap {
  draw(figures: MapFigures, locale: Locale, version: string): Promise<DrawnTrackerMap>
}

// Three languages, and the version before a new report while pages that link it are still read.
const KEPT = 12

export function createTrackerMap(): TrackerMap {
  let outlines: Promise<Outlines> | undefined
  const drawn = createCache<string, Promise<DrawnTrackerMap>>({ max: KEPT })
  // The country outlines of the last few crops, shared by every language's drawing.
  const outlinePaths = createCache<string, string[]>({ max: 4 })

  function loadedOutlines(): Promise<Outlines> {
    if (!outlines) {
      outlines = loadOutlines()
      outlines.catch(() => (outlines = undefined))
    }
    return outlines
  }

  async function render(figures: MapFigures, locale: Locale, version: string): Promise<DrawnTrackerMap> {
    const { svg } = mapSvg(await loadedOutlines(), figures, locale, outlinePaths)
    return { encoded: await encodeAll(svg), etag: `W/"${version}"` }
  }

  return {
    draw(figures, locale, version) {
      let map = drawn.get(version)
      if (!map) {
        map = render(figures, locale, version)
        drawn.set(version, map)
        map.catch(() => drawn.delete(version))
      }
      return map
    },
  }
}
