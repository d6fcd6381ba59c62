// How a campaign looks to the outside: the API's Campaign shape and a page's localised view.
import MarkdownIt from 'markdown-it'
import type { Locale } from '../../db/types.ts'
import { langTag, toLocale } from '../../i18n/index.ts'
import type { CampaignRow } from './repository.ts'

export interface CampaignJson {
  slug: string
  title: string
  summary: string
  target: string
  asks: string[]
  goal: number
  deadline: string | null
  status: string
  signatureCount: number
  locale: string
}

export function toJson(c: CampaignRow): CampaignJson {
  return {
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    target: c.target,
    asks: c.asks,
    goal: c.goal,
    deadline: c.deadline ? c.deadline.toISOString() : null,
    status: c.status,
    signatureCount: Number(c.signature_count),
    locale: c.locale,
  }
}

// Raw HTML in campaign bodies is off: organizers write Markdown, never markup.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false })
const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer')
  return defaultLinkOpen(tokens, idx, options, env, self)
}

const renderedBodies = new Map<string, string>()

/** Markdown to HTML, memoised: campaign bodies change rarely and pages are read often. */
export function renderBody(body: string): string {
  let html = renderedBodies.get(body)
  if (html === undefined) {
    html = markdown.render(body)
    if (renderedBodies.size > 500) renderedBodies.clear()
    renderedBodies.set(body, html)
  }
  return html
}

export interface LocalisedCampaign {
  slug: string
  title: string
  summary: string
  bodyHtml: string
  target: string
  asks: string[]
  goal: number
  deadline: Date | null
  status: string
  count: number
  /** The language the texts are actually in, for the lang attribute. */
  textLocale: string
}

/** The campaign's texts in the reader's language where a translation exists. */
export function localise(c: CampaignRow, locale: Locale): LocalisedCampaign {
  const tr = c.locale === locale ? undefined : c.translations[locale]
  const pick = <K extends 'title' | 'summary' | 'body' | 'target'>(k: K) => tr?.[k] || c[k]
  return {
    slug: c.slug,
    title: pick('title'),
    summary: pick('summary'),
    bodyHtml: renderBody(pick('body')),
    target: pick('target'),
    asks: tr?.asks?.length ? tr.asks : c.asks,
    goal: c.goal,
    deadline: c.deadline,
    status: c.status,
    count: Number(c.signature_count),
    textLocale: langTag(tr?.title ? locale : (toLocale(c.locale) ?? 'en')),
  }
}
