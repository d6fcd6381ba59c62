// Chart geometry for the public tracker, drawn server-side as inline SVG: no client library, no
// script, no third-party request, and it works without JavaScript. These functions only compute
// numbers and (already localised) strings; the Eta partials draw them, and Eta escapes the text.

/** The SVG user-space width of every chart: close to a phone's width, so text stays readable. */
export const CHART_WIDTH = 360
const FONT = 13
const ROW = 40
const BAR = 12
const GAP = 8

export interface BarInput {
  label: string
  value: number
  /** What is written at the end of the row, e.g. "450 people · 1 report". */
  valueText: string
}

export interface BarRow {
  label: string
  valueText: string
  labelY: number
  barY: number
  barWidth: number
  valueX: number
  valueY: number
}

export interface BarChart {
  width: number
  height: number
  barHeight: number
  rows: BarRow[]
}

/**
 * A rough width of text in SVG user units. SVG text does not wrap, so a label that would run into
 * its value is cut short instead; Hangul and Han are about twice as wide as Latin letters.
 */
export function textWidth(text: string, fontSize = FONT): number {
  let em = 0
  for (const ch of text) em += isWide(ch.codePointAt(0)!) ? 1 : 0.6
  return em * fontSize
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x11ff) || // Hangul Jamo
    (cp >= 0x2e80 && cp <= 0xa4cf) || // CJK radicals to Yi, including kana and Han
    (cp >= 0xac00 && cp <= 0xd7af) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || // full-width forms
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
}

/** Cuts text (by whole characters, never inside a surrogate pair) to fit `room`, with an ellipsis. */
export function fitText(text: string, room: number, fontSize = FONT): string {
  if (textWidth(text, fontSize) <= room) return text
  const chars = Array.from(text)
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, fontSize) > room) chars.pop()
  return `${chars.join('').trimEnd()}…`
}

/**
 * Horizontal bars, one row each: the label on its own line, so long place names and CJK text fit
 * a 390 px phone, and under it the bar with its value just past the end. Bars are scaled to the
 * largest value, leaving room for the widest value text; a value above zero always gets a visible
 * sliver, so "small" never looks like "none".
 */
export function barChart(items: readonly BarInput[]): BarChart {
  const max = Math.max(0, ...items.map((i) => i.value))
  const room = Math.max(CHART_WIDTH / 3, CHART_WIDTH - Math.max(0, ...items.map((i) => textWidth(i.valueText))) - GAP)
  const rows = items.map((item, index) => {
    const top = index * ROW
    const barWidth = max === 0 || item.value <= 0 ? 0 : Math.max(2, round((item.value / max) * room))
    return {
      label: fitText(item.label, CHART_WIDTH),
      valueText: item.valueText,
      labelY: top + FONT + 1,
      barY: top + FONT + 7,
      barWidth,
      valueX: round(barWidth + GAP / 2),
      valueY: top + FONT + 7 + BAR - 1,
    }
  })
  const height = rows.length === 0 ? 0 : (rows.length - 1) * ROW + FONT + 7 + BAR
  return { width: CHART_WIDTH, height, barHeight: BAR, rows }
}

export type TimeUnit = 'day' | 'month' | 'year'

export interface DayCount {
  /** YYYY-MM-DD */
  day: string
  people: number
  reports: number
}

export interface Bin {
  /** YYYY-MM-DD, YYYY-MM or YYYY, by unit. */
  key: string
  people: number
  reports: number
}

/**
 * Groups counts per day into days, months or years, whichever keeps the timeline readable, and
 * fills the empty periods with zeros: a gap in time must look like a gap, not be squeezed out.
 */
export function binTimeline(days: readonly DayCount[]): { unit: TimeUnit; bins: Bin[] } {
  if (days.length === 0) return { unit: 'day', bins: [] }
  const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day))
  const first = sorted[0]!.day
  const last = sorted[sorted.length - 1]!.day
  const spanDays = (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000
  const spanMonths = monthIndex(last) - monthIndex(first)
  const unit: TimeUnit = spanDays <= 62 ? 'day' : spanMonths <= 120 ? 'month' : 'year'
  const keyOf = (day: string) => (unit === 'day' ? day : unit === 'month' ? day.slice(0, 7) : day.slice(0, 4))

  const totals = new Map<string, Bin>()
  for (const d of sorted) {
    const key = keyOf(d.day)
    const bin = totals.get(key) ?? { key, people: 0, reports: 0 }
    bin.people += d.people
    bin.reports += d.reports
    totals.set(key, bin)
  }
  return {
    unit,
    bins: periods(unit, keyOf(first), keyOf(last)).map((key) => totals.get(key) ?? { key, people: 0, reports: 0 }),
  }
}

function monthIndex(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1
}

/** Every period key from `from` to `to`, both included. */
function periods(unit: TimeUnit, from: string, to: string): string[] {
  const keys: string[] = []
  if (unit === 'day') {
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
      keys.push(new Date(t).toISOString().slice(0, 10))
    }
  } else if (unit === 'month') {
    for (let m = monthIndex(`${from}-01`); m <= monthIndex(`${to}-01`); m++) {
      keys.push(`${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`)
    }
  } else {
    for (let y = Number(from); y <= Number(to); y++) keys.push(String(y).padStart(4, '0'))
  }
  return keys
}

export interface Column {
  x: number
  y: number
  width: number
  height: number
  /** The number over the column, when there is room for one. */
  label: { x: number; y: number; text: string } | null
}

export interface ColumnChart {
  width: number
  height: number
  baseline: number
  columns: Column[]
  /** First and last period under the axis (one when there is one period). */
  axis: { x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end' }[]
  /** With columns too narrow to number, one line at the top says what the tallest is. */
  scale: { y: number; text: string } | null
}

const PLOT_TOP = 22
const PLOT_BOTTOM = 140

/** Vertical columns of people per period, scaled to the busiest period. */
export function columnChart(
  bins: readonly Bin[],
  format: { period: (key: string) => string; number: (n: number) => string },
): ColumnChart {
  const height = PLOT_BOTTOM + 24
  const max = Math.max(0, ...bins.map((b) => b.people))
  const slot = bins.length ? CHART_WIDTH / bins.length : CHART_WIDTH
  const width = Math.min(48, Math.max(1, slot * 0.7))
  // Numbers go over the columns only when each fits its column's slot; otherwise they would collide.
  const numbered = bins.every((b) => textWidth(format.number(b.people)) <= slot - 2)
  const columns = bins.map((b, i) => {
    const h = max === 0 || b.people <= 0 ? 0 : Math.max(1, round((b.people / max) * (PLOT_BOTTOM - PLOT_TOP)))
    const x = round(i * slot + (slot - width) / 2)
    return {
      x,
      y: PLOT_BOTTOM - h,
      width: round(width),
      height: h,
      label: numbered && b.people > 0 ? columnLabel(format.number(b.people), x + width / 2, PLOT_BOTTOM - h - 4) : null,
    }
  })
  const axisY = PLOT_BOTTOM + 18
  const axis: ColumnChart['axis'] =
    bins.length === 0
      ? []
      : bins.length === 1
        ? [{ x: CHART_WIDTH / 2, y: axisY, text: format.period(bins[0]!.key), anchor: 'middle' }]
        : [
            { x: 0, y: axisY, text: format.period(bins[0]!.key), anchor: 'start' },
            { x: CHART_WIDTH, y: axisY, text: format.period(bins[bins.length - 1]!.key), anchor: 'end' },
          ]
  const scale = !numbered && max > 0 ? { y: PLOT_TOP, text: format.number(max) } : null
  return { width: CHART_WIDTH, height, baseline: PLOT_BOTTOM, columns, axis, scale }
}

/** A number centred over its column, kept inside the chart at either edge. */
function columnLabel(text: string, centre: number, y: number) {
  const half = textWidth(text) / 2
  return { x: round(Math.min(Math.max(centre, half), CHART_WIDTH - half)), y, text }
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
