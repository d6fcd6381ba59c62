// What a share card says (the 1200x630 image that chat apps and social sites show beside a link)
// and the SVG that draws it. The text is all the card depends on: the image is cached by it
// (render.ts), so a count is drawn rounded down to a step ("12,000+") and one more signature
// does not draw a new image.
import { formatNumber, type Locale, type Translate } from '../../i18n/index.ts'
import type { LocalisedCampaign } from '../campaigns/localise.ts'

export const CARD_WIDTH = 1200
export const CARD_HEIGHT = 630

export interface CardText {
  locale: Locale
  /** The site's name, small, above the title. */
  kicker: string
  title: string
  /** One or two lines under the title: the count and the goal, or a site card's tagline. */
  lines: string[]
  /** How far toward the goal, from the rounded count: a bar under the lines, or none. */
  progress: number | null
}

/** A count as the card shows it: two significant digits and a plus, exact below a hundred. */
export function roundedCount(count: number): { value: number; more: boolean } {
  if (count < 100) return { value: count, more: false }
  const step = 10 ** (Math.floor(Math.log10(count)) - 1)
  const value = Math.floor(count / step) * step
  return { value, more: true }
}

export function campaignCard(c: LocalisedCampaign, locale: Locale, t: Translate): CardText {
  const { value, more } = roundedCount(c.count)
  const count = formatNumber(locale, value) + (more ? '+' : '')
  return {
    locale,
    kicker: t('site.name'),
    title: c.title,
    lines: [
      value === 0 ? t('share.card.first') : t('share.card.count', { count }),
      t('share.card.goal', { goal: formatNumber(locale, c.goal) }),
    ],
    progress: c.goal > 0 ? Math.min(1, value / c.goal) : null,
  }
}

/** What a report's card says, in the reader's language (present/reports/report-page.ts). */
export interface ReportFacts {
  heading: string
  people: string
  date: string
  country: string
  retracted: boolean
}

/** A report's card: its kind and place, then how many people, when and in which country. */
export function reportCard(locale: Locale, t: Translate, r: ReportFacts): CardText {
  return {
    locale,
    kicker: t('site.name'),
    title: r.retracted ? `${t('report.retracted')}: ${r.heading}` : r.heading,
    lines: [r.people, `${r.date} · ${r.country}`],
    progress: null,
  }
}

/** The home page's and the tracker's card: the site, the page's title and a line about it. */
export function siteCard(locale: Locale, t: Translate, title: string, line: string): CardText {
  return { locale, kicker: t('site.name'), title, lines: [line], progress: null }
}

/** The exact text of a card, as the key of its image. */
export function cardKey(card: CardText): string {
  return JSON.stringify(card)
}

// The families of the two fonts render.ts loads (Noto Sans CJK's Korean and Simplified Chinese
// subsets; each has Latin too). The reader's language goes first so a Han character shared by
// both takes that language's shape; a glyph missing from the first is found in the second.
const FAMILIES: Record<Locale, string> = {
  en: "'Noto Sans Korean', 'Noto Sans S Chinese'",
  ko: "'Noto Sans Korean', 'Noto Sans S Chinese'",
  zh: "'Noto Sans S Chinese', 'Noto Sans Korean'",
}

const MARGIN = 72
const TEXT_WIDTH = CARD_WIDTH - 2 * MARGIN
const TITLE_SIZE = 68
const LINE_SIZE = 40

export function cardSvg(card: CardText): string {
  const title = wrap(card.title, TEXT_WIDTH / TITLE_SIZE, 3)
  // The first line (the count) stands out; a line too long for one goes on in the same weight.
  const lines = card.lines.flatMap((l, i) =>
    wrap(l, TEXT_WIDTH / LINE_SIZE, 2).map((text) => ({ text, first: i === 0 })),
  )
  const parts: string[] = []
  parts.push(text(MARGIN, 120, 34, 700, '#a3201a', card.kicker))
  let y = 150 + TITLE_SIZE
  for (const line of title) {
    parts.push(text(MARGIN, y, TITLE_SIZE, 700, '#1d1d1b', line))
    y += Math.round(TITLE_SIZE * 1.25)
  }
  // The count and goal sit at the foot of the card, whatever the title's length.
  let foot = CARD_HEIGHT - 80 - (card.progress === null ? 0 : 50) - (lines.length - 1) * LINE_SIZE * 1.3
  for (const line of lines) {
    const [weight, fill] = line.first ? [700, '#1d1d1b'] : [400, '#55554f']
    parts.push(text(MARGIN, Math.round(foot), LINE_SIZE, weight, fill, line.text))
    foot += LINE_SIZE * 1.3
  }
  if (card.progress !== null) {
    const barY = CARD_HEIGHT - 90
    parts.push(`<rect x="${MARGIN}" y="${barY}" width="${TEXT_WIDTH}" height="24" rx="12" fill="#e4e4dc"/>`)
    const done = Math.round(TEXT_WIDTH * card.progress)
    if (done > 0) {
      parts.push(`<rect x="${MARGIN}" y="${barY}" width="${Math.max(24, done)}" height="24" rx="12" fill="#a3201a"/>`)
    }
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">`,
    `<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="#fbfbf8"/>`,
    `<rect width="${CARD_WIDTH}" height="16" fill="#a3201a"/>`,
    `<g font-family="${FAMILIES[card.locale]}">`,
    ...parts,
    '</g></svg>',
  ].join('\n')
}

function text(x: number, y: number, size: number, weight: number, fill: string, content: string): string {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeXml(content)}</text>`
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

// Wide characters: Hangul, Han, kana, full-width forms and CJK punctuation.
const WIDE = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/

const CLOSING = /^[、。，．：；！？）」』》〉】”’,.:;!?)]+/

/** An estimate of a string's width in ems, generous for Latin so a line is never too long. */
function width(s: string): number {
  let w = 0
  for (const ch of s) {
    if (WIDE.test(ch)) w += 1
    else if (/[il.,;:'!|ftj ]/.test(ch)) w += 0.3
    else if (/[A-Z0-9mwMW]/.test(ch)) w += 0.68
    else w += 0.56
  }
  return w
}

/**
 * Breaks `s` into at most `maxLines` lines of at most `maxEms` ems: at spaces (English, Korean),
 * or between Han characters (Chinese); a word too long for a line is cut; the last line ends
 * with an ellipsis if the text goes on.
 */
export function wrap(s: string, maxEms: number, maxLines: number): string[] {
  // Pieces that stay together: a word with the space after it, or a single Han or kana character
  // (Chinese breaks between any two).
  const pieces = s.trim().match(/[\u2e80-\u9fff\uf900-\ufaff][\s]*|[^\s\u2e80-\u9fff\uf900-\ufaff]+\s*|\s+/g) ?? []
  const lines: string[] = []
  let line = ''
  for (const piece of pieces) {
    if (width((line + piece).trimEnd()) <= maxEms) {
      line += piece
      continue
    }
    if (line.trim()) lines.push(line.trimEnd())
    line = ''
    // A piece longer than a line on its own is cut by characters.
    let rest = piece
    while (width(rest.trimEnd()) > maxEms) {
      let cut = ''
      for (const ch of rest) {
        if (width(cut + ch) > maxEms) break
        cut += ch
      }
      lines.push(cut)
      rest = rest.slice(cut.length)
    }
    line = rest
  }
  if (line.trim()) lines.push(line.trimEnd())
  // Closing punctuation never starts a line: it goes back to the end of the line before.
  for (let i = 1; i < lines.length; i++) {
    const closing = CLOSING.exec(lines[i]!)?.[0]
    if (!closing) continue
    lines[i - 1] += closing
    lines[i] = lines[i]!.slice(closing.length).trimStart()
    if (!lines[i]) lines.splice(i--, 1)
  }
  if (lines.length <= maxLines) return lines
  const kept = lines.slice(0, maxLines)
  let last = kept[maxLines - 1]!
  while (last && width(last + '…') > maxEms) last = [...last].slice(0, -1).join('')
  kept[maxLines - 1] = last.trimEnd() + '…'
  return kept
}
