// Real-browser helpers: the app on a real loopback port, and one headless Chromium per test file.
// Chromium comes from Debian (/usr/bin/chromium); playwright-core never downloads a browser.
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
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
export async function serve(t: Teardown): Promise<{ env: TestEnv; base: string }> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = await setup(t, { env: { PORT: String(port), PUBLIC_URL: base } })
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
