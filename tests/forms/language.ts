// What a refused form says, read from its page: the texts of its error elements.
import { catalogs } from '../../src/i18n/index.ts'

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => entities[m]!).trim()

/** The texts of a page's error messages: field errors, the error summary, the sign form's list. */
export function errorTexts(body: string): string[] {
  const found = [
    ...body.matchAll(/<p class="error"[^>]*>([^<]+)</g),
    ...body.matchAll(/class="error-summary"[^>]*>([^<]+)</g),
    ...body.matchAll(/id="[\w.-]+-error"[^>]*>([^<]+)</g),
    ...body.matchAll(/<li><a href="#[\w.-]+">([^<]+)<\/a><\/li>/g),
  ]
  return [...new Set(found.map((m) => decode(m[1]!)).filter(Boolean))]
}

// Every English message, parameters as wildcards; and the English that zod and Fastify write.
// A message that is only parameters ("{title}") says nothing English: it would match any text.
const english = Object.values(catalogs.en)
  .filter((text) => /[a-z]/i.test(text.replace(/\{\w+\}/g, '')))
  .map((text) => new RegExp(`^${text.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.*')}$`))
const libraryEnglish = /invalid input|too small|too big|expected|must (be|match|have)|required|not valid|body\//i

/** Why `text` is not in `locale`'s language, or undefined when it is. */
export function notInLanguage(text: string, locale: 'ko' | 'zh'): string | undefined {
  if (english.some((re) => re.test(text)) && !Object.values(catalogs[locale]).includes(text))
    return 'an English catalogue text'
  if (libraryEnglish.test(text)) return 'English from zod or Fastify'
  const script = locale === 'ko' ? /[\uac00-\ud7af]/ : /[\u4e00-\u9fff]/
  if (!script.test(text)) return `no ${locale === 'ko' ? 'Hangul' : 'Chinese'} at all`
  return undefined
}
