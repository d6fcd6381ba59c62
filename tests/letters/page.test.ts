import t from 'tap'
import { setup } from '../helper.ts'
import { letter, letterCampaign, ministry, unhcr, unification } from './fixture.ts'

const unescape = (s: string) =>
  s
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

/** Every mailto link of a page, decoded as RFC 6068 says (no "+" for space). */
function mailtos(html: string) {
  return [...html.matchAll(/href="(mailto:[^"]*)"/g)].map(([, href]) => {
    const [address, query = ''] = unescape(href!).slice('mailto:'.length).split('?')
    const params = Object.fromEntries(
      query.split('&').map((p) => {
        const [k, v = ''] = p.split('=')
        return [k, decodeURIComponent(v)]
      }),
    )
    return { to: decodeURIComponent(address!), subject: params.subject, body: params.body }
  })
}

const crlf = (s: string) => s.replaceAll('\n', '\r\n')
const escaped = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

t.test('the campaign page offers the step, small, with the count and no contact', async (t) => {
  const env = await setup(t, { workers: false })
  await letterCampaign(env, 'write-step')
  for (const lang of ['en', 'ko', 'zh'] as const) {
    const page = await env.app.inject({ url: `/campaigns/write-step?lang=${lang}` })
    t.equal(page.statusCode, 200)
    t.match(page.body, /<section class="write" id="write"/, lang)
    t.match(page.body, 'href="/campaigns/write-step/letter"', `${lang}: links the letter page`)
    t.match(page.body, 'href="/campaigns/write-step/letter/send"', `${lang}: links the platform's form`)
    t.notMatch(page.body, 'action="/campaigns/write-step/letter/sent"', `${lang}: "I sent it" is beside the letter`)
    t.match(page.body, /id="letters-self">[^<]*0/, `${lang}: the count`)
    t.notMatch(
      page.body,
      /example\.org|mailto:|Private Road|北京市/,
      `${lang}: no email or address on the campaign page`,
    )
    t.ok(Buffer.byteLength(page.body) < 10_240, `${lang}: ${Buffer.byteLength(page.body)} bytes of HTML, under 10 KB`)
    t.equal((page.body.match(/id="website"/g) ?? []).length, 1, `${lang}: one honeypot id per page`)
  }
})

t.test('without a letter or targets, or once closed, there is no step and no letter page', async (t) => {
  const env = await setup(t, { workers: false })
  const { headers } = await letterCampaign(env, 'no-letter', { letter: undefined })
  const page = await env.app.inject({ url: '/campaigns/no-letter' })
  t.notMatch(page.body, /class="write"/)
  t.equal((await env.app.inject({ url: '/campaigns/no-letter/letter' })).statusCode, 404)

  await letterCampaign(env, 'closing')
  t.equal((await env.app.inject({ url: '/campaigns/closing/letter' })).statusCode, 200)
  await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/closing/close', headers })
  t.notMatch((await env.app.inject({ url: '/campaigns/closing' })).body, /class="write"/)
  t.equal((await env.app.inject({ url: '/campaigns/closing/letter' })).statusCode, 404, 'closed: forgotten at once')
  const sent = await env.app.inject({ method: 'POST', url: '/campaigns/closing/letter/sent', payload: {} })
  t.equal(sent.statusCode, 404)
})

t.test('each mailto link decodes to the letter in its target’s language, the reader’s beside it', async (t) => {
  const env = await setup(t, { workers: false })
  await letterCampaign(env, 'mailto')
  for (const reader of ['en', 'ko', 'zh'] as const) {
    const page = await env.app.inject({ url: `/campaigns/mailto/letter?lang=${reader}` })
    t.equal(page.statusCode, 200)
    t.match(page.body, `<html lang="${reader}`)
    t.same(
      mailtos(page.body),
      [
        { to: ministry.email, subject: letter.zh.subject, body: crlf(letter.zh.body) },
        { to: unification.email, subject: letter.ko.subject, body: crlf(letter.ko.body) },
      ],
      `${reader}: one link per target that may be written to, in the target’s language`,
    )
    // The reader's translation beside each letter in another language.
    const translations = [
      ...page.body.matchAll(/<div class="letter-text letter-translation no-print">([\s\S]*?)<\/div>\n/g),
    ]
    const expected = [ministry, unification, unhcr].filter((x) => x.locale !== reader).length
    t.equal(translations.length, expected, `${reader}: a translation beside each letter not in ${reader}`)
    for (const [, block] of translations) t.match(block, escaped(letter[reader].subject))
    t.match(page.body, escaped(letter[reader].body.split('\n')[0]!), `${reader}: the reader’s text to read`)
    // The platform-only target is named, with its letter to read, and no way to write to it oneself.
    t.match(page.body, unhcr.name)
    t.notMatch(page.body, /private-contact|unhcr-demo|Private Road/, `${reader}: a platform-only contact nowhere`)
    // Each address to print.
    t.match(page.body, '<p class="address"')
    t.match(page.body, '北京市朝阳区 (demo)\n100701')
    t.match(page.body, '서울특별시 종로구 (demo)')
  }
})

t.test('a target’s email never reaches the API JSON or the campaign page', async (t) => {
  const env = await setup(t, { workers: false })
  const { headers } = await letterCampaign(env, 'json-private')
  for (const [url, auth] of [
    ['/api/v1/campaigns/json-private', {}],
    ['/api/v1/campaigns', {}],
    ['/campaigns/json-private', {}],
    ['/campaigns/json-private?lang=ko', {}],
  ] as const) {
    const res = await env.app.inject({ url, headers: auth })
    t.equal(res.statusCode, 200, url)
    t.notMatch(res.body, /example\.org|Private Road|北京市/, `${url}: no email or postal address`)
  }
  const one = await env.app.inject({ url: '/api/v1/campaigns/json-private' })
  t.same(one.json().letter, letter, 'the letter is there')
  const patched = await env.app.inject({
    method: 'PATCH',
    url: '/api/v1/campaigns/json-private',
    headers,
    payload: { summary: 'Changed' },
  })
  t.notMatch(patched.body, /example\.org|Private Road/)
})

t.test('a changed letter or target shows on the letter page at once', async (t) => {
  const env = await setup(t, { workers: false })
  const { headers, ids } = await letterCampaign(env, 'fresh')
  const before = await env.app.inject({ url: '/campaigns/fresh/letter?lang=zh' })
  t.match(before.body, escaped(letter.zh.subject))
  const changed = { subject: '新的主题', body: '新的正文' }
  await env.app.inject({
    method: 'PATCH',
    url: '/api/v1/campaigns/fresh',
    headers,
    payload: { letter: { zh: changed }, targets: [ids[0]] },
  })
  const after = await env.app.inject({ url: '/campaigns/fresh/letter?lang=zh' })
  t.match(after.body, changed.subject)
  t.same(
    mailtos(after.body).map((m) => [m.to, m.subject]),
    [[ministry.email, changed.subject]],
  )
  t.notMatch(after.body, unification.name, 'a target taken off is gone')
})

t.test('the letter page is a print view: one letter a page, without the site around it', async (t) => {
  const env = await setup(t, { workers: false })
  await letterCampaign(env, 'printed')
  const page = await env.app.inject({ url: '/campaigns/printed/letter' })
  t.equal((page.body.match(/<section class="letter"/g) ?? []).length, 3, 'a letter per target')
  const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)![1]!
  const css = (await env.app.inject({ url: unescape(href) })).body
  const print = css.slice(css.indexOf('@media print'))
  t.match(
    print,
    /header\.site,[\s\S]*\.no-print \{\s*display: none;/,
    'the site’s header, buttons and translations are not printed',
  )
  t.match(print, /\.letter \{\s*break-after: page;/, 'each letter on its own page')
})
