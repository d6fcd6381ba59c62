// The tracker's map as SVG, drawn here: country outlines from Natural Earth (world-atlas, 1:50m),
// cropped to the marks and the border region of North Korea and China, and a circle per mark,
// sized by people and coloured by kind. No tiles and no request to anyone: the outlines ship with
// the package. Points are whole units of a 640-wide drawing, so the file stays a few KB.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { geoBounds, geoMercator, geoPath, type GeoContext } from 'd3-geo'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { feature } from 'topojson-client'
import type { GeometryCollection, Topology } from 'topojson-specification'
import { createCache, type Cache } from '../../cache.ts'
import { langTag, type Locale } from '../../i18n/index.ts'
import type { MapFigures, MarkGroup } from './map-marks.ts'

type Country = Feature<Geometry, { name: string }>
/** Each country with its extent in degrees ([[west, south], [east, north]]), to skip those far away. */
export type Outlines = { country: Country; bounds: [[number, number], [number, number]] }[]

/** Natural Earth's countries at 1:50m, from the world-atlas package (read once per app instance). */
export async function loadOutlines(): Promise<Outlines> {
  const file = fileURLToPath(new URL('./countries-50m.json', import.meta.resolve('world-atlas/package.json')))
  const topology = JSON.parse(await readFile(file, 'utf8')) as Topology<{
    countries: GeometryCollection<{ name: string }>
  }>
  const countries: FeatureCollection<Geometry, { name: string }> = feature(topology, topology.objects.countries)
  return countries.features.map((country) => ({ country, bounds: geoBounds(country) }))
}

/** Whether a country's extent meets the crop; one across the antimeridian (west > east) is kept. */
function near({ bounds: [[west, south], [east, north]] }: Outlines[number], box: ReturnType<typeof crop>) {
  if (west > east) return true
  return west <= box.east && east >= box.west && south <= box.north && north >= box.south
}

export const MAP_WIDTH = 640

// Always in view: the Koreas and China's provinces along the border, where the founding case is.
const BASE = { west: 119.5, east: 131, south: 36.5, north: 44.5 }
// Never wider than China, the Koreas and their neighbours, whatever a report's point.
const LIMIT = { west: 72, east: 146, south: 15, north: 55 }
const PAD = 1.5

// The key on the page shows the same colours (public/app.css, .map-held and the others).
export const COLOURS: Record<MarkGroup, string> = { held: '#b2182b', returned: '#2150a0', released: '#1b7837' }

// ISO 3166 numeric (Natural Earth's ids) to alpha-2, for the names of the countries in view, and
// where each name goes, in order of preference (the first inside the crop).
const COUNTRY_LABELS: { id: string; code: string; at: [number, number][] }[] = [
  {
    id: '156',
    code: 'CN',
    at: [
      [122.3, 43.2],
      [104, 34],
    ],
  },
  { id: '408', code: 'KP', at: [[126.9, 40.1]] },
  { id: '410', code: 'KR', at: [[128.1, 36.6]] },
  {
    id: '643',
    code: 'RU',
    at: [
      [132.6, 45.6],
      [105, 52.5],
    ],
  },
  { id: '392', code: 'JP', at: [[133.8, 34.9]] },
  { id: '496', code: 'MN', at: [[104, 46.8]] },
]

function crop(figures: MapFigures) {
  const box = { ...BASE }
  for (const m of figures.marks) {
    box.west = Math.min(box.west, m.longitude - PAD)
    box.east = Math.max(box.east, m.longitude + PAD)
    box.south = Math.min(box.south, m.latitude - PAD)
    box.north = Math.max(box.north, m.latitude + PAD)
  }
  return {
    west: Math.max(LIMIT.west, box.west),
    east: Math.min(LIMIT.east, box.east),
    south: Math.max(LIMIT.south, box.south),
    north: Math.min(LIMIT.north, box.north),
  }
}

function boxFeature(b: ReturnType<typeof crop>): Feature {
  // Clockwise, as d3 reads a polygon: the small box, not the rest of the globe.
  const ring = [
    [b.west, b.south],
    [b.west, b.north],
    [b.east, b.north],
    [b.east, b.south],
    [b.west, b.south],
  ]
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }
}

/** A path context that writes whole units, relative, and drops points that round onto the last one. */
class RoundedPath implements GeoContext {
  private parts: string[] = []
  private x = 0
  private y = 0
  private ring: string[] = []
  private points = 0
  moveTo(x: number, y: number) {
    this.endRing()
    const [rx, ry] = [Math.round(x), Math.round(y)]
    this.ring = [`M${rx} ${ry}`]
    this.points = 1
    ;[this.x, this.y] = [rx, ry]
  }
  lineTo(x: number, y: number) {
    const [rx, ry] = [Math.round(x), Math.round(y)]
    if (rx === this.x && ry === this.y) return
    const [dx, dy] = [rx - this.x, ry - this.y]
    this.ring.push(`l${dx}${dy < 0 ? '' : ' '}${dy}`)
    this.points++
    ;[this.x, this.y] = [rx, ry]
  }
  closePath() {
    this.ring.push('z')
  }
  beginPath() {}
  arc() {}
  // An island that rounds to fewer than three points is too small to see.
  private endRing() {
    if (this.points >= 3) this.parts.push(this.ring.join(''))
    this.ring = []
    this.points = 0
  }
  result(): string {
    this.endRing()
    return this.parts.join('')
  }
}

export interface DrawnMap {
  svg: string
  width: number
  height: number
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** The drawing's size for these marks: the page gives it to the <img>, so nothing moves as it loads. */
export function mapSize(figures: MapFigures): { width: number; height: number } {
  const area = boxFeature(crop(figures))
  const [[, top], [, bottom]] = geoPath(geoMercator().fitWidth(MAP_WIDTH, area)).bounds(area)
  // The height follows the crop's shape, within what a phone shows without scrolling past it.
  return { width: MAP_WIDTH, height: Math.round(Math.min(760, Math.max(360, bottom - top))) }
}

/**
 * The map of `figures` in `locale` (mark labels and country names): an SVG document. The outlines
 * of a crop, the costly part (tens of milliseconds), are the same in every language and for as
 * long as the crop stays: `drawn` keeps them, by crop, for the instance that draws.
 */
export function mapSvg(
  outlines: Outlines,
  figures: MapFigures,
  locale: Locale,
  drawn: Cache<string, string[]> = createCache({ max: 1 }),
): DrawnMap {
  const box = crop(figures)
  const area = boxFeature(box)
  const { width, height } = mapSize(figures)
  const projection = geoMercator()
    .fitSize([width, height], area)
    .clipExtent([
      [0, 0],
      [width, height],
    ])

  const cropKey = JSON.stringify([box, width, height])
  let countries = drawn.get(cropKey)
  if (!countries) {
    const paths: string[] = []
    for (const outline of outlines) {
      if (!near(outline, box)) continue
      const context = new RoundedPath()
      geoPath(projection, context)(outline.country)
      const d = context.result()
      if (d) paths.push(`<path id="c${String(outline.country.id)}" d="${d}"/>`)
    }
    drawn.set(cropKey, (countries = paths))
  }

  const names = new Intl.DisplayNames([langTag(locale)], { type: 'region' })
  const inView = (x: number, y: number) => x > 50 && x < width - 50 && y > 20 && y < height - 10
  const countryNames: string[] = []
  for (const c of COUNTRY_LABELS) {
    if (!countries.some((p) => p.startsWith(`<path id="c${c.id}"`))) continue
    const at = c.at.map((p) => projection(p)).find((p) => p && inView(p[0], p[1]))
    if (at) {
      countryNames.push(
        `<text x="${Math.round(at[0])}" y="${Math.round(at[1])}" text-anchor="middle">${escapeXml(names.of(c.code) ?? c.code)}</text>`,
      )
    }
  }

  // Area by people: a circle's radius goes with the square root, the largest 30 units.
  const max = Math.max(1, ...figures.marks.map((m) => m.people))
  const radius = (people: number) => Math.max(5, Math.round(30 * Math.sqrt(people / max) * 10) / 10)
  const circles: string[] = []
  const labels: string[] = []
  const taken: { x0: number; x1: number; y0: number; y1: number }[] = []
  // The largest first, so a small mark is drawn on top of a large one nearby.
  for (const m of figures.marks) {
    const p = projection([m.longitude, m.latitude])
    if (!p) continue
    const [x, y, r] = [Math.round(p[0]), Math.round(p[1]), radius(m.people)]
    circles.push(
      `<circle class="${m.group}" fill="${COLOURS[m.group]}" cx="${x}" cy="${y}" r="${r}" data-at="${m.latitude},${m.longitude}" data-people="${m.people}"/>`,
    )
    // A label beside the larger marks, where it overlaps no other label and stays on the map.
    const w = [...m.label].reduce((sum, ch) => sum + (/[\u1100-\u9fff\uac00-\ud7af]/.test(ch) ? 20 : 11), 0)
    const left = x + r + w + 6 > width
    const spot = { x0: left ? x - r - w - 4 : x + r + 2, x1: left ? x - r - 2 : x + r + w + 4, y0: y - 12, y1: y + 12 }
    const clear = taken.every((o) => spot.x1 < o.x0 || spot.x0 > o.x1 || spot.y1 < o.y0 || spot.y0 > o.y1)
    if (labels.length < 8 && clear && spot.x0 >= 0 && spot.y0 >= 0 && spot.y1 <= height) {
      taken.push(spot)
      const anchor = left ? ` text-anchor="end"` : ''
      labels.push(`<text x="${left ? x - r - 4 : x + r + 4}" y="${y + 7}"${anchor}>${escapeXml(m.label)}</text>`)
    }
  }

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xml:lang="${langTag(locale)}">`,
    `<rect width="${width}" height="${height}" fill="#e6eef5"/>`,
    `<g fill="#f4f1e8" stroke="#8f8c82" stroke-width="0.7" stroke-linejoin="round">${countries.join('')}</g>`,
    `<g font-family="system-ui, sans-serif" font-size="18" fill="#6b6961" letter-spacing="1">${countryNames.join('')}</g>`,
    // Presentation attributes, not a style element: the image is served under the site's CSP.
    `<g stroke="#fff" stroke-width="1.2" fill-opacity="0.8">${circles.join('')}</g>`,
    `<g font-family="system-ui, sans-serif" font-size="20" font-weight="600" fill="#1d1d1b" stroke="#fff" stroke-width="4" paint-order="stroke" stroke-linejoin="round">${labels.join('')}</g>`,
    '</svg>',
  ].join('\n')
  return { svg, width, height }
}
