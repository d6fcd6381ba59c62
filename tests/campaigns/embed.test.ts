// A campaign's form embedded on partner sites (issue 16, point 3): the origins an organizer lists,
// framing allowed for exactly those on the embed and its answers and for no one elsewhere,
// signing through it without cookies, and the oEmbed answer.
import t from 'tap'
import { FORM_STAMP_FIELD, HONEYPOT_FIELD, formStamp } from '../../src/modules/form-guard/service.ts'
import { campaignInput, liveCampaign, loginAs, organizerAuth, setup, signer, type TestEnv } from '../helper.ts'

const PARTNERS = ['https://partner.example', 'http://localhost:8123']

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
})

function frameAncestors(res: { headers: Record<string, unknown> }): string {
  const csp = String(res.headers['content-security-policy'])
  const directive = csp.split(';').find((d) => d.trim().startsWith('frame-ancestors'))
  if (!directive) throw new Error(`no frame-ancestors in ${csp}`)
  return directive.trim().slice('frame-ancestors '.length)
}

function postEmbed(env: TestEnv, slug: string, fields: Record<string, string>, path = 'embed?hl=en') {
  return env.app.inject({ method: 'POST', url: `/campaigns/${slug}/${path}`, ...form(fields) })
}

t.test('the organizer lists origins on create and PATCH, gets them back, and the change is audited', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: {
      ...campaignInput,
      slug: 'framed',
      embedOrigins: ['https://Partner.Example/', 'https://partner.example'],
    },
  })
  t.equal(created.statusCode, 201)
  t.same(created.json().embedOrigins, ['https://partner.example'], 'one spelling, once')

  const patched = await env.app.inject({
    method: 'PATCH',
    url: '/api/v1/campaigns/framed',
    headers: { authorization: auth },
    payload: { embedOrigins: [...PARTNERS, 'https://news.example:8443'] },
  })
  t.equal(patched.statusCode, 200)
  t.same(patched.json().embedOrigins, [...PARTNERS, 'https://news.example:8443'])
  const audit = await env.db.selectFrom('audit_log').select(['action', 'detail']).orderBy('id').execute()
  const update = audit.find((a) => a.action === 'campaign.update')
  t.same((update?.detail as { fields: string[] }).fields, ['embedOrigins'])

  const untouched = await env.app.inject({
    method: 'PATCH',
    url: '/api/v1/campaigns/framed',
    headers: { authorization: auth },
    payload: { title: 'Another title' },
  })
  t.same(untouched.json().embedOrigins, [...PARTNERS, 'https://news.example:8443'], 'left out: kept')
})

t.test('an origin with anything but scheme, host and port is a 400 naming the field', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const slug = await liveCampaign(env)
  for (const bad of [
    ['https://partner.example/page'],
    ['https://partner.example?x=1'],
    ['https://*.partner.example'],
    ['ftp://partner.example'],
    ['partner.example'],
    ["https://partner.example 'unsafe-inline'"],
    ['https://partner.example;script-src *'],
    ['https://user@partner.example'],
    ['*'],
    [42],
    Array.from({ length: 21 }, (_, i) => `https://p${i}.example`),
  ]) {
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/campaigns/${slug}`,
      headers: { authorization: auth },
      payload: { embedOrigins: bad },
    })
    t.equal(res.statusCode, 400, JSON.stringify(bad).slice(0, 60))
    t.ok(
      Object.keys(res.json().fields ?? {}).some((f) => f.startsWith('embedOrigins')),
      'names embedOrigins',
    )
  }
  const stored = await env.db.selectFrom('campaigns').select('embed_origins').executeTakeFirstOrThrow()
  t.same(stored.embed_origins, [], 'nothing stored')
})

t.test('frame-ancestors is exactly the listed origins on the embed, and none elsewhere', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { embedOrigins: PARTNERS })
  const embed = await env.app.inject({ url: `/campaigns/${slug}/embed?hl=en` })
  t.equal(embed.statusCode, 200)
  t.equal(frameAncestors(embed), PARTNERS.join(' '))
  t.equal(embed.headers['x-frame-options'], undefined, 'X-Frame-Options cannot list origins: it goes')
  t.ok(embed.rawPayload.length < 10 * 1024, `light: ${embed.rawPayload.length} bytes`)
  t.match(embed.body, /<form method="post" action="\/campaigns\/[^"]+\/embed\?hl=en"/)
  t.match(embed.body, new RegExp(`name="${FORM_STAMP_FIELD}" value="\\d+\\.`), 'the render stamp')
  t.match(embed.body, new RegExp(`name="${HONEYPOT_FIELD}"`), 'the honeypot')
  t.notMatch(embed.body, /<script/, 'no script until a challenge')
  t.notOk(embed.headers['set-cookie'], 'no cookie')

  const korean = await env.app.inject({ url: `/campaigns/${slug}/embed?hl=ko` })
  t.match(korean.body, /<html lang="ko"/)
  t.notOk(korean.headers['set-cookie'], 'the language is not kept in a cookie')
  t.match(korean.body, /action="\/campaigns\/[^"]+\/embed\?hl=ko"/, 'the language rides in the address')

  for (const url of [`/campaigns/${slug}`, `/campaigns/${slug}/thanks`, '/', '/campaigns/nope/embed', '/oembed']) {
    const res = await env.app.inject({ url })
    t.equal(frameAncestors(res), "'none'", url)
    t.equal(res.headers['x-frame-options'], 'DENY', url)
  }

  const unlisted = await liveCampaign(env)
  const closed = await env.app.inject({ url: `/campaigns/${unlisted}/embed` })
  t.equal(closed.statusCode, 200)
  t.equal(frameAncestors(closed), "'none'", 'no origin listed: no one may frame it')
  t.equal(closed.headers['x-frame-options'], 'DENY')

  // A change is seen at once by this instance.
  const auth = await organizerAuth(env.db)
  await env.app.inject({
    method: 'PATCH',
    url: `/api/v1/campaigns/${unlisted}`,
    headers: { authorization: auth },
    payload: { embedOrigins: ['https://late.example'] },
  })
  t.equal(frameAncestors(await env.app.inject({ url: `/campaigns/${unlisted}/embed` })), 'https://late.example')
})

t.test('signing from the embed: errors and thanks stay framed, need no cookie, and sign', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { embedOrigins: PARTNERS })

  const refused = await postEmbed(env, slug, { ...signer, email: 'not an address', name: 'Typed name' }, 'embed?hl=ko')
  t.equal(refused.statusCode, 400)
  t.equal(frameAncestors(refused), PARTNERS.join(' '), 'the refused form may be framed too')
  t.match(refused.body, /<html lang="ko"/)
  t.match(refused.body, /class="error-summary"/)
  t.match(refused.body, /value="Typed name"/, 'what was typed stays')
  t.match(refused.body, /action="\/campaigns\/[^"]+\/embed\?hl=ko"/, 'sent again, it comes back to the embed')
  t.notMatch(refused.body, /class="site"/, "the embed, not the site's page")

  const more = await postEmbed(env, slug, { ...signer, list: 'all' }, 'embed/form?hl=en')
  t.equal(more.statusCode, 200)
  t.equal(frameAncestors(more), PARTNERS.join(' '))
  t.match(more.body, /<option value="ZW"/, 'every country')

  const signed = await postEmbed(env, slug, { ...signer, email: 'framed@gmial.com' })
  t.equal(signed.statusCode, 200, 'the thanks is the answer itself: no redirect to a cookie-reading page')
  t.equal(frameAncestors(signed), PARTNERS.join(' '))
  t.notOk(signed.headers['set-cookie'], 'no cookie')
  t.match(signed.body, /framed@gmial\.com/, 'the address typed, said without a cookie')
  t.match(signed.body, /framed@gmail\.com/, 'and the likely correction')
  t.match(signed.body, /action="\/campaigns\/[^"]+\/embed\/form\?hl=en#sign"/)
  const rows = await env.db.selectFrom('signatures').select(['email', 'status']).execute()
  t.same(rows, [{ email: 'framed@gmial.com', status: 'pending' }])
  const outbox = await env.db.selectFrom('outbox').select('kind').execute()
  t.same(
    outbox.map((r) => r.kind),
    ['signature.confirm'],
  )
})

t.test('the embed keeps the bot checks: honeypot, render stamp and the challenge', async (t) => {
  const env = await setup(t, { workers: false, env: { FORM_MIN_SECONDS: '3', SIGN_CHALLENGE_AFTER: '1' } })
  const slug = await liveCampaign(env, { embedOrigins: PARTNERS })
  const aMinuteAgo = formStamp(env.config, Date.now() - 60_000)

  const bot = await postEmbed(env, slug, { ...signer, [FORM_STAMP_FIELD]: aMinuteAgo, [HONEYPOT_FIELD]: 'x' })
  const rushed = await postEmbed(env, slug, { ...signer, [FORM_STAMP_FIELD]: formStamp(env.config) })
  const unstamped = await postEmbed(env, slug, { ...signer })
  for (const res of [bot, rushed, unstamped]) {
    t.equal(res.statusCode, 200, 'answered as a person is')
    t.equal(frameAncestors(res), PARTNERS.join(' '))
  }
  t.same(await env.db.selectFrom('signatures').select('id').execute(), [], 'nothing signed')
  const reasons = await env.db.selectFrom('form_refusals').select('reason').orderBy('reason').execute()
  t.same(
    reasons.map((r) => r.reason),
    ['bad-stamp', 'honeypot', 'too-fast'],
  )

  const first = await postEmbed(env, slug, { ...signer, [FORM_STAMP_FIELD]: aMinuteAgo })
  t.equal(first.statusCode, 200)
  const second = await postEmbed(env, slug, { ...signer, email: 'second@example.org', [FORM_STAMP_FIELD]: aMinuteAgo })
  t.equal(second.statusCode, 200)
  t.match(second.body, /name="challenge"/, 'past the network budget: the proof of work, in the embed')
  t.match(second.body, /<script src="\/static\/sign-challenge/)
  t.equal(frameAncestors(second), PARTNERS.join(' '))
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 1)
})

t.test('oEmbed gives the iframe of a campaign, and says what it cannot', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { title: 'Free them "now" <today>', embedOrigins: PARTNERS })
  const url = encodeURIComponent(`http://ua.test/campaigns/${slug}`)
  const res = await env.app.inject({ url: `/oembed?url=${url}&format=json` })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { version: '1.0', type: 'rich', title: 'Free them "now" <today>', width: 400, height: 900 })
  t.equal(
    body.html,
    `<iframe src="http://ua.test/campaigns/${slug}/embed" title="Free them &quot;now&quot; &lt;today&gt;" width="400" height="900" loading="lazy"></iframe>`,
  )
  const small = await env.app.inject({ url: `/oembed?url=${url}&maxwidth=300&maxheight=5000` })
  t.match(small.json(), { width: 300, height: 900 })

  t.equal((await env.app.inject({ url: `/oembed?url=${url}&format=xml` })).statusCode, 501)
  const unknown = await env.app.inject({ url: `/oembed?url=${encodeURIComponent('http://ua.test/campaigns/nope')}` })
  t.equal(unknown.statusCode, 404)
  for (const bad of ['', 'not a url', 'http://elsewhere.example/campaigns/' + slug, `http://ua.test/reports/${slug}`]) {
    const res = await env.app.inject({ url: `/oembed?url=${encodeURIComponent(bad)}` })
    t.equal(res.statusCode, 400, bad)
    t.ok(res.json().fields.url, 'names url')
  }
  t.equal((await env.app.inject({ url: '/oembed' })).statusCode, 400, 'no url')
})

t.test('the console edits the origins and shows the snippet to paste', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  const fields = {
    title: 'Embedded elsewhere',
    summary: 'Held for return.',
    target: 'The Government',
    asks: 'Stop the returns\n',
    body: 'Text',
    goal: '500',
    deadline: '',
    locale: 'en',
  }
  await client.get('/admin/campaigns/new')
  t.equal((await client.post('/admin/campaigns', { ...fields, slug: 'elsewhere' })).statusCode, 303)
  const none = await client.get('/admin/campaigns/elsewhere')
  t.notMatch(none.body, /&lt;iframe/, 'no snippet before a site is listed')

  const edit = await client.get('/admin/campaigns/elsewhere/edit')
  t.match(edit.body, /name="embedOrigins"/)
  const refused = await client.post('/admin/campaigns/elsewhere/edit', {
    ...fields,
    embedOrigins: 'https://partner.example/path',
  })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /id="f-embedOrigins-error"/)
  t.match(refused.body, /https:\/\/partner\.example\/path/, 'what was typed stays')

  const saved = await client.post('/admin/campaigns/elsewhere/edit', {
    ...fields,
    embedOrigins: 'https://partner.example\r\n\r\nhttp://localhost:8123/\r\n',
  })
  t.equal(saved.statusCode, 303)
  const row = await env.db.selectFrom('campaigns').select('embed_origins').executeTakeFirstOrThrow()
  t.same(row.embed_origins, PARTNERS)
  const audit = await env.db
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  t.equal(audit.action, 'campaign.update')
  t.same((audit.detail as { fields: string[] }).fields, ['embedOrigins'])

  const show = await client.get('/admin/campaigns/elsewhere')
  t.match(show.body, /&lt;iframe src=&quot;http:\/\/ua\.test\/campaigns\/elsewhere\/embed&quot;/)
  t.match(
    (await client.get('/admin/campaigns/elsewhere/edit')).body,
    /https:\/\/partner\.example\nhttp:\/\/localhost:8123/,
  )
})
