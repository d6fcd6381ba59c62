// How a page is passed on: the Open Graph and Twitter card tags the layout writes in its head, and
// plain links to each service's own share address. Links, not widgets: a page makes no request
// to a third party until the reader follows one of them.
import { shareScript } from '../../assets.ts'
import type { Locale, Translate } from '../../i18n/index.ts'

/** What views/layouts/base.eta writes as og: and twitter: tags; og:url is the page's canonical address. */
export interface OpenGraph {
  title: string
  description: string
  /** Absolute: a crawler reads it without the page's address. */
  image: string
  locale: string
}

const OG_LOCALES: Record<Locale, string> = { en: 'en_US', ko: 'ko_KR', zh: 'zh_CN' }

/** `cardPath` is where the card is served, without the language: `hl` (not `lang`) sets no cookie. */
export function openGraph(
  publicUrl: string,
  locale: Locale,
  page: { title: string; description: string; cardPath: string },
): OpenGraph {
  return {
    title: page.title,
    description: page.description,
    image: `${publicUrl}${page.cardPath}?hl=${locale}`,
    locale: OG_LOCALES[locale],
  }
}

export interface ShareLink {
  /** The service's own name, the same in every language (but email). */
  name: string
  href: string
  /** Set for the links that leave the site. */
  external: boolean
}

/**
 * A link to each service's share address for `url` with `text`, every part URL-encoded. LINE,
 * WhatsApp and email take one text, so the address goes at its end.
 */
export function shareLinks(url: string, text: string, t: Translate): ShareLink[] {
  const u = encodeURIComponent(url)
  const both = encodeURIComponent(`${text} ${url}`)
  const s = encodeURIComponent(text)
  return [
    { name: 'LINE', href: `https://line.me/R/share?text=${both}`, external: true },
    { name: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${s}`, external: true },
    { name: 'WhatsApp', href: `https://wa.me/?text=${both}`, external: true },
    { name: 'X', href: `https://x.com/intent/post?text=${s}&url=${u}`, external: true },
    { name: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}`, external: true },
    { name: t('share.weibo'), href: `https://service.weibo.com/share/share.php?url=${u}&title=${s}`, external: true },
    {
      name: t('share.email'),
      href: `mailto:?subject=${s}&body=${encodeURIComponent(`${text}\n\n${url}`)}`,
      external: false,
    },
  ]
}

/** What the share partial (views/partials/share.eta) shows for a campaign. */
export interface SharePanel {
  /** The campaign's address as is, for the field to copy: whoever opens it reads their own language. */
  url: string
  /** The address in the sharer's language, for the links: the card beside it matches the message. */
  sharedUrl: string
  title: string
  text: string
  links: ShareLink[]
  /** The first-party script that shows the device's share sheet and a copy button where they work. */
  script: string
}

export function sharePanel(
  publicUrl: string,
  campaign: { slug: string; title: string },
  locale: Locale,
  t: Translate,
): SharePanel {
  const url = `${publicUrl}/campaigns/${campaign.slug}`
  const sharedUrl = `${url}?lang=${locale}`
  const text = t('share.text', { title: campaign.title })
  return { url, sharedUrl, title: campaign.title, text, links: shareLinks(sharedUrl, text, t), script: shareScript.url }
}
