// Real-browser helpers: the app on a real loopback port, and one headless Chromium per test file.
// Chromium comes from Debian (/usr/bin/chromium); playwright-core never downloads a browser.
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createServer, type AddressInfo } from 'node:net'
import type { AxeResults } from 'axe-core'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { setup, type TestEnv } from '../helper.ts'

type Teardown = { teardown(fn: () => unknown): void }

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

export const LANGS = [
  { code: 'en', tag: 'en' },
  { code: 'ko', tag: 'ko' },
  { code: 'zh', tag: 'zh-Hans' },
] as const

// A long URL in each body: it must wrap on a phone rather than widen the page.
const link = 'https://www.unhcr.org/news/statement-on-forced-returns-of-refugees-detained-at-the-border'

/** A campaign in English with Korean and Chinese translations, so each UI language has its own text. */
export const translatedCampaign = {
  title: 'Stop the forced return of detained refugees',
  summary: 'Forty people are held at the border and face forced return within days.',
  body: `They were detained on **3 March**. Read the [UNHCR statement](${link}).\n\nSource: ${link}`,
  target: 'The Minister of Public Security',
  asks: ['Stop all forced returns', 'Let UNHCR meet the detained people'],
  goal: 1000,
  translations: {
    ko: {
      title: '구금된 난민의 강제 송환을 멈춰 주세요',
      summary: '마흔 명이 국경에 억류되어 며칠 안에 강제 송환될 위기에 놓여 있습니다.',
      body: `이들은 **3월 3일**에 구금되었습니다. [유엔난민기구 성명](${link})을 읽어 보세요.\n\n출처: ${link}`,
      target: '공안부 장관',
      asks: ['모든 강제 송환을 중단할 것', '유엔난민기구가 구금된 사람들을 만날 수 있게 할 것'],
    },
    zh: {
      title: '停止强制遣返被拘留的难民',
      summary: '四十人被关押在边境，数日内将面临强制遣返。',
      body: `他们于**3月3日**被拘留。请阅读[联合国难民署声明](${link})。\n\n来源：${link}`,
      target: '公安部部长',
      asks: ['停止一切强制遣返', '让联合国难民署会见被拘留者'],
    },
  },
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** setup(t) with the app listening on a real port; PUBLIC_URL is that address, so links point back here. */
export async function serve(
  t: Teardown,
  extraEnv: Record<string, string> = {},
): Promise<{ env: TestEnv; base: string }> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = await setup(t, { env: { PORT: String(port), PUBLIC_URL: base, ...extraEnv } })
  await env.app.listen({ port, host: '127.0.0.1' })
  return { env, base }
}

/** One Chromium for the file, closed when the file's test ends. */
export async function launch(t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  t.teardown(() => browser.close())
  return browser
}

/** The page's <html lang>. */
export function htmlLang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang')
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * Runs axe on the page as it is and asserts no WCAG 2.x A/AA violation, naming each one that is found.
 * The page CSP forbids every script, axe included: the context must be made with bypassCSP.
 */
export async function expectAccessible(t: Test, page: Page, name: string, lang: string) {
  t.equal(await htmlLang(page), lang, `${name}: <html lang="${lang}">`)
  await page.addScriptTag({ path: axePath })
  const result = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_TAGS,
  )
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }))
  t.ok(result.passes.length > 10, `${name}: axe ran (${result.passes.length} rules passed)`)
  for (const v of violations) t.comment(`${name}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.join(', ')}`)
  t.same(violations, [], `${name}: no WCAG 2.1 A/AA violations`)
}

/** The page's width against the screen's, and the elements that stick out past its right edge. */
export function measure(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement
    // Inside a box that scrolls or clips sideways (a wide table's wrapper) is not past the page's edge.
    // (No named function in here: tsx would wrap it in a helper the page does not have.)
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => {
        if (el.getBoundingClientRect().right <= root.clientWidth + 0.5) return false
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== 'visible') return false
        }
        return true
      })
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className}` : ''}`)
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide }
  })
}

/** Asserts the page as it is fits a PHONE screen: no sideways scroll, nothing past the right edge. */
export async function expectFitsPhone(t: Test, page: Page, name: string) {
  const m = await measure(page)
  t.equal(m.clientWidth, PHONE.viewport.width, `${name}: the layout viewport is the phone width`)
  t.ok(m.scrollWidth <= m.clientWidth, `${name}: no horizontal scroll (${m.scrollWidth} <= ${m.clientWidth})`)
  t.same(m.wide, [], `${name}: no element reaches past the right edge`)
}
