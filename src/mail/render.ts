import { fileURLToPath } from 'node:url'
import { Eta } from 'eta'
import type { Config } from '../config.ts'
import { langTag, translator, type Locale, type MessageKey } from '../i18n/index.ts'

const emailViews = fileURLToPath(new URL('../../views/emails', import.meta.url))

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

export type EmailRenderer = (
  template: string,
  locale: Locale,
  subject: { key: MessageKey; params?: Record<string, string | number> },
  data: Record<string, unknown>,
) => RenderedEmail

/**
 * Inline styles by language, for clients that keep no <style>: Korean breaks between words, not
 * inside them (`textStyle` on the body); Chinese titles balance their lines where a client can
 * (`titleStyle` on a heading or a report's first line).
 */
const typeset: Record<Locale, { textStyle: string; titleStyle: string }> = {
  en: { textStyle: '', titleStyle: '' },
  ko: { textStyle: 'word-break:keep-all;overflow-wrap:anywhere;', titleStyle: '' },
  zh: { textStyle: '', titleStyle: 'text-wrap:balance;' },
}

/**
 * Every email is two templates, <name>.html.eta and <name>.text.eta, so the plain-text part
 * is written for people rather than stripped from the HTML. Eta escapes by default; the text
 * templates turn escaping off since a text part is not markup.
 */
export function createEmailRenderer(config: Config): EmailRenderer {
  const html = new Eta({ views: emailViews, cache: config.viewCache, autoEscape: true })
  const text = new Eta({ views: emailViews, cache: config.viewCache, autoEscape: false, autoTrim: false })
  const site = new URL(config.publicUrl).host
  return (template, locale, subject, data) => {
    const t = translator(locale)
    const it = { ...data, t, lang: langTag(locale), site, publicUrl: config.publicUrl, ...typeset[locale] }
    return {
      subject: t(subject.key, subject.params),
      html: html.render(`./${template}.html.eta`, it),
      text:
        text
          .render(`./${template}.text.eta`, it)
          .replace(/\n{3,}/g, '\n\n')
          .trim() + '\n',
    }
  }
}
