import { readFileSync } from 'node:fs'
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, gunzipSync } from 'node:zlib'
import { sql } from 'kysely'
import t from 'tap'
import { liveCampaign, setup, sleep } from '../helper.ts'

// The page's form carries the time it was rendered (signed): a page rendered a second later
// differs in that field only.
const decode = (encoding: string | undefined, body: Buffer) =>
  (encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body)
    .toString()
    .replace(/name="rendered" value="[^"]*"/, 'name="rendered" value=""')

t.test('the campaign page is the same page in every encoding the browser accepts', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { title: 'Compressed once' })
  const get = async (acceptEncoding: string | undefined, lang = 'en') => {
    const res = await env.app.inject({
      url: `/campaigns/${slug}?lang=${lang}`,
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    })
    t.equal(res.statusCode, 200)
    t.match(res.headers.vary, /Accept-Encoding/, 'caches keep the encodings apart')
    t.equal(Number(res.headers['content-length']), res.rawPayload.length)
    const encoding = res.headers['content-encoding']
    return { encoding, html: decode(encoding, res.rawPayload), bytes: res.rawPayload.length }
  }

  const plain = await get(undefined)
  t.equal(plain.encoding, undefined, 'no Accept-Encoding: plain')
  t.match(plain.html, /Compressed once/)
  for (const [header, expected] of [
    ['gzip, deflate, br, zstd', 'br'], // Chrome's: Brotli on a tie
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0.4', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['deflate', undefined],
  ] as const) {
    // Twice: the first answer may be rendered for it, the second comes from memory.
    for (const round of ['rendered', 'from memory']) {
      const page = await get(header)
      t.equal(page.encoding, expected, `${header} (${round})`)
      t.equal(page.html, plain.html, `${header} (${round}) decodes to the page`)
      if (expected) t.ok(page.bytes < plain.bytes / 2, `${header}: ${page.bytes} of ${plain.bytes} bytes`)
    }
  }

  const korean = await get('br', 'ko')
  t.equal(korean.encoding, 'br')
  t.match(korean.html, /<html lang="ko"/)
  t.not(korean.html, plain.html)
})

t.test('a new count reaches the compressed page too', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { goal: 1000 })
  const count = async () => {
    const res = await env.app.inject({ url: `/campaigns/${slug}?lang=en`, headers: { 'accept-encoding': 'br' } })
    return decode(res.headers['content-encoding'], res.rawPayload).match(/<progress max="1000" value="(\d+)"/)?.[1]
  }
  t.equal(await count(), '0')
  await sql`update campaigns set signature_count = 7 where slug = ${slug}`.execute(env.db)
  const deadline = Date.now() + 2000
  let seen = await count()
  while (seen !== '7' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100))
    seen = await count()
  }
  t.equal(seen, '7', 'within the 2 s the count may lag')
})

t.test('the Brotli bytes get smaller once the best compression is ready, and say the same', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { title: 'Compressed twice' })
  const get = async () => {
    const res = await env.app.inject({ url: `/campaigns/${slug}?lang=en`, headers: { 'accept-encoding': 'br' } })
    t.equal(res.headers['content-encoding'], 'br')
    t.equal(Number(res.headers['content-length']), res.rawPayload.length)
    return res.rawPayload
  }
  const first = await get()
  const html = decode('br', first)
  // Quality 11 takes milliseconds in zlib's thread pool; wait for it, however slow the machine.
  const deadline = Date.now() + 30_000
  let later = await get()
  while (later.length >= first.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20))
    later = await get()
  }
  t.ok(later.length < first.length, `${later.length} bytes after ${first.length}`)
  t.equal(decode('br', later), html, 'the same page')
})

t.test('a page re-rendered for a new form time is sent at the best compression, never the quick bytes', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { title: 'Always the small bytes' })
  const best = (html: Buffer) =>
    brotliCompressSync(html, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: html.length,
      },
    })
  const get = async () => {
    const res = await env.app.inject({ url: `/campaigns/${slug}?lang=en`, headers: { 'accept-encoding': 'br' } })
    t.equal(res.statusCode, 200)
    return res.rawPayload
  }
  // The first page of all has nothing to stand in for it: quick bytes, then the best ones.
  const first = await get()
  let bytes = first
  while (bytes.equals(first)) {
    await new Promise((r) => setTimeout(r, 20))
    bytes = await get()
  }
  // A reader every 50 ms for three seconds sees the form's time change at least twice; every
  // page it gets is at quality 11.
  const stamps = new Set<string>()
  const deadline = Date.now() + 3000
  while (Date.now() < deadline) {
    const html = brotliDecompressSync(bytes)
    stamps.add(html.toString().match(/name="rendered" value="([^"]*)"/)![1]!)
    if (!bytes.equals(best(html))) t.fail(`${bytes.length} bytes, not the best ${best(html).length}`)
    await new Promise((r) => setTimeout(r, 50))
    bytes = await get()
  }
  t.ok(stamps.size >= 2, `${stamps.size} form times seen`)
})

t.test('a page whose rendering began before a change never stands in for the page after it', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const pages = env.app.present.campaignPages
  const text = async (page: Promise<{ identity: Buffer }>) => (await page).identity.toString()
  t.equal(await text(pages.blank(slug, 'probe', async () => 'first')), 'first')
  await sleep(600) // the page data is reloaded: the next call renders again
  let finish!: (html: string) => void
  const slow = pages.blank(slug, 'probe', () => new Promise<string>((resolve) => (finish = resolve)))
  t.equal(await text(slow), 'first', 'while it renders, the page before stands in')
  pages.forget(slug) // the campaign changed while the old data was being rendered
  finish('rendered from the data before the change')
  await sleep(50)
  t.equal(
    await text(pages.blank(slug, 'probe', async () => 'after the change')),
    'after the change',
    'the first page after the change is rendered from the new data, not stood in for',
  )
})

t.test('the stylesheet is linked by its version, compressed, and kept for a year', async (t) => {
  const env = await setup(t, { workers: false })
  const page = await env.app.inject({ url: '/' })
  const href = /<link rel="stylesheet" href="([^"]+)">/.exec(page.body)?.[1]
  t.match(href, /^\/static\/app\.css\?v=[\w-]{12}$/, 'the layout links the current version')
  const css = readFileSync(new URL('../../public/app.css', import.meta.url), 'utf8')

  const br = await env.app.inject({ url: href!, headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } })
  t.equal(br.statusCode, 200)
  t.equal(br.headers['content-type'], 'text/css; charset=utf-8')
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.match(br.headers.vary, /Accept-Encoding/)
  t.equal(decode('br', br.rawPayload), css, 'the same stylesheet')
  t.ok(br.rawPayload.length < css.length / 2, `${br.rawPayload.length} bytes on the wire for ${css.length}`)

  const plain = await env.app.inject({ url: href! })
  t.equal(plain.headers['content-encoding'], undefined)
  t.equal(plain.body, css)

  const again = await env.app.inject({ url: href!, headers: { 'if-none-match': br.headers.etag as string } })
  t.equal(again.statusCode, 304, 'a revalidation with the ETag costs no body')
  t.equal(again.rawPayload.length, 0)

  const old = await env.app.inject({ url: '/static/app.css?v=older-release' })
  t.equal(old.statusCode, 200)
  t.equal(old.headers['cache-control'], 'no-cache', 'an older address is not kept for a year with new content')
  t.equal((await env.app.inject({ url: '/static/other.css' })).statusCode, 404)
})
