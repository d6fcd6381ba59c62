// How a campaign reads on a page: its texts in the reader's language, its body as HTML.
import MarkdownIt from 'markdown-it'
import { createCache } from '../../cache.ts'
import type { Locale } from '../../db/types.ts'
import { langTag, toLocale } from '../../locale.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'

// Raw HTML in campaign bodies is off: organizers write Markdown, never markup.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false })
const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer')
  return defaultLinkOpen(tokens, idx, options, env, self)
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
  /** The case's state as its updates tell it: open, won, lost or closed. */
  caseStatus: 'open' | 'won' | 'lost' | 'closed'
  count: number
  /** Letters the platform sent to the campaign's targets for supporters. */
  lettersSent: number
  /** The language the texts are actually in, for the lang attribute. */
  textLocale: string
}

/** The campaign's title in the reader's language where a translation exists. */
export function localisedTitle(c: CampaignRow, locale: Locale): string {
  return (c.locale === locale ? undefined : c.translations[locale]?.title) || c.title
}

export interface CampaignLocaliser {
  /** The campaign's texts in the reader's language where a translation exists. */
  localise: (c: CampaignRow, locale: Locale) => LocalisedCampaign
  /** Markdown to HTML, memoised: campaign bodies change rarely and pages are read often. */
  renderBody: (body: string) => string
}

/** One per app instance, with its own memo of rendered bodies. */
export function createCampaignLocaliser(): CampaignLocaliser {
  const rendered = createCache<string, string>({ max: 500 })
  function renderBody(body: string): string {
    let html = rendered.get(body)
    if (html === undefined) {
      html = markdown.render(body)
      rendered.set(body, html)
    }
    return html
  }
  return {
    renderBody,
    localise: (c, locale) => {
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
        caseStatus: c.outcome ?? 'open',
        count: Number(c.signature_count),
        lettersSent: Number(c.letters_sent),
        textLocale: langTag(tr?.title ? locale : (toLocale(c.locale) ?? 'en')),
      }
    },
  }
}
