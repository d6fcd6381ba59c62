import t from 'tap'
import { eventually, liveCampaign, organizerAuth, setup, signer } from '../helper.ts'

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
})

t.test('each invalid field gets a 400 naming it, and no row is written', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const cases: [string, Record<string, unknown>][] = [
    ['name', { ...signer, name: '' }],
    ['name', { ...signer, name: '   ' }],
    ['name', { ...signer, name: 'x'.repeat(201) }],
    ['email', { ...signer, email: 'not-an-address' }],
    ['email', { ...signer, email: undefined }],
    ['country', { ...signer, country: 'XX' }],
    ['country', { ...signer, country: 42 }],
    ['comment', { ...signer, comment: 'c'.repeat(1001) }],
    ['publicName', { ...signer, publicName: 'yes' }],
    ['alerts', { ...signer, alerts: 1 }],
  ]
  for (const [field, payload] of cases) {
    const res = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload })
    t.equal(res.statusCode, 400, `${field}: ${JSON.stringify(payload[field])}`)
    const body = res.json<{ error: string; message: string; fields: Record<string, string> }>()
    t.equal(body.error, 'invalid_input')
    t.ok(body.fields[field], `names ${field}: ${body.fields[field]}`)
  }
  const notJson = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    headers: { 'content-type': 'application/json' },
    payload: '{"name": ',
  })
  t.equal(notJson.statusCode, 400)
  t.equal(notJson.json().error, 'invalid_input')
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 0)
  t.equal((await env.db.selectFrom('outbox').select('id').execute()).length, 0)
})

t.test('a body over the limit is refused with 413', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const api = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { ...signer, comment: 'x'.repeat(100 * 1024) },
  })
  t.equal(api.statusCode, 413)
  t.equal(api.json().error, 'too_large')
  const page = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}`,
    ...form({ ...signer, comment: 'x'.repeat(40 * 1024) }),
  })
  t.equal(page.statusCode, 413)
  t.match(page.headers['content-type'], /text\/html/)
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 0)
})

t.test('the form is re-rendered with each field message and what was typed', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const res = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}`,
    ...form({ name: 'Park "Ji" <b>', email: 'bad@', country: '', comment: 'kept text', publicName: 'on' }),
  })
  t.equal(res.statusCode, 400)
  t.match(res.body, /Please correct the fields marked below/)
  t.match(res.body, /id="email-error">Enter a valid email address/)
  t.match(res.body, /id="country-error">Choose a country from the list/)
  t.notMatch(res.body, /id="name-error"/, 'a valid field has no error')
  t.match(res.body, /value="Park &quot;Ji&quot; &lt;b&gt;"/, 'the typed name, escaped')
  t.match(res.body, /value="bad@"/)
  t.match(res.body, />kept text<\/textarea>/)
  t.match(res.body, /id="publicName" name="publicName" type="checkbox" checked/)
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 0)

  const ko = await env.app.inject({ method: 'POST', url: `/campaigns/${slug}?lang=zh`, ...form({ name: '' }) })
  t.match(ko.body, /此项为必填项/, 'messages in the reader language')
})

t.test('the form lists the usual countries, and every country is one button away', async (t) => {
  const env = await setup(t, { workers: false, env: { FORM_COUNTRIES: 'KR,JP,US' } })
  const slug = await liveCampaign(env)
  const options = (body: string) => [...body.matchAll(/<option value="([A-Z]{2})"/g)].map((m) => m[1])

  const page = await env.app.inject({ url: `/campaigns/${slug}` })
  t.same(options(page.body), ['JP', 'KR', 'US'], 'FORM_COUNTRIES, sorted by name in English')
  const button =
    /<button type="submit" class="link" name="list" value="all" formaction="([^"]+)" formnovalidate>Country not listed\? Show all countries<\/button>/.exec(
      page.body,
    )
  t.ok(button, 'a button that sends the form to the full list')
  const ko = await env.app.inject({ url: `/campaigns/${slug}?lang=ko` })
  t.same(options(ko.body), ['KR', 'US', 'JP'], 'sorted by name in Korean: 대한민국, 미국, 일본')

  const typed = {
    name: 'Kim & Lee',
    email: 'kim@example.org',
    country: '',
    comment: 'Free them <now>',
    publicName: 'on',
  }
  const all = await env.app.inject({
    method: 'POST',
    url: button![1]!.replace(/#.*/, ''),
    ...form({ ...typed, list: 'all' }),
  })
  t.equal(all.statusCode, 200)
  t.equal(all.headers['cache-control'], 'no-store', 'what was typed is kept by no cache')
  t.ok(options(all.body).length > 240, 'every country')
  t.notMatch(all.body, /Show all countries/)
  t.notMatch(all.body, /class="error"/, 'no field is refused: nothing was sent to sign yet')
  t.match(all.body, 'value="Kim &amp; Lee"', 'the name typed is kept')
  t.match(all.body, 'value="kim@example.org"', 'the email typed is kept')
  t.match(all.body, '>Free them &lt;now&gt;</textarea>', 'the comment typed is kept')
  t.match(all.body, /id="publicName" name="publicName" type="checkbox" checked/, 'the box ticked stays ticked')
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 0, 'nothing is signed')
  // The old link's address (in bookmarks, shared pages) still lists every country.
  const linked = await env.app.inject({ url: `/campaigns/${slug}?countries=all` })
  t.ok(options(linked.body).length > 240)

  // A country from the full list survives a re-render for another field's error.
  const bad = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}`,
    ...form({ name: '', email: 'a@example.org', country: 'MN' }),
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /<option value="MN" selected>Mongolia<\/option>/)
  t.ok(options(bad.body).length > 240)
  const signed = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}`,
    ...form({ name: 'Kim', email: 'kim@example.org', country: 'MN' }),
  })
  t.equal(signed.statusCode, 303, 'a country off the short list signs like any other')
})

t.test('a script tag in a name and comment is escaped on every page', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const evil = '<script>alert("x")</script>'
  await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { ...signer, name: evil, comment: evil, publicName: true },
  })
  const [mail] = await env.smtp.waitFor(1)
  t.notMatch(mail!.parsed.html, /<script>/, 'not in the email')
  const path = /\/confirm\/[\w.-]+/.exec(mail!.parsed.text ?? '')![0]
  await env.app.inject({ method: 'POST', url: path })
  const bad = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}`,
    ...form({ name: evil, comment: evil }),
  })
  const pages = [bad.body]
  for (const url of ['/', `/campaigns/${slug}`, `/campaigns/${slug}/thanks`, path]) {
    pages.push((await env.app.inject({ url })).body)
  }
  // The page data is cached for a moment; the confirmed public signer shows up right after.
  const shown = await eventually(
    async () => {
      const body = (await env.app.inject({ url: `/campaigns/${slug}` })).body
      return body.includes('alert(&quot;x&quot;)') ? body : undefined
    },
    5000,
    'the public signer on the page',
  )
  t.match(shown, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/, 'the public name is shown, escaped')
  // Our own scripts are files under /static (the share step's); nothing typed becomes a script.
  for (const body of pages) t.notMatch(body, /<script(?! src="\/static\/[\w.-]+\.js\?v=[\w-]+" defer><\/script>)/)
  t.notMatch(shown, /alert\(1\)<\/script>/, 'raw HTML in the Markdown body is not rendered')
})

t.test('unknown slug 404, draft 404, closed 409 with a notice instead of the form', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const draft = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: { slug: 'still-a-draft', title: 'T', summary: 'S', body: 'B', target: 'X', asks: ['a'], goal: 10 },
  })
  t.equal(draft.statusCode, 201)
  for (const url of ['/campaigns/no-such-campaign', '/campaigns/still-a-draft', '/api/v1/campaigns/still-a-draft']) {
    t.equal((await env.app.inject({ url })).statusCode, 404, url)
  }
  const html404 = await env.app.inject({ url: '/campaigns/still-a-draft' })
  t.match(html404.body, /Page not found/)
  const api404 = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns/still-a-draft/signatures',
    payload: signer,
  })
  t.equal(api404.statusCode, 404)
  t.equal(api404.json().error, 'not_found')

  const slug = await liveCampaign(env)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/close`, headers: { authorization: auth } })
  const closed = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  t.equal(closed.statusCode, 409)
  t.equal(closed.json().error, 'campaign_closed')
  const page = await env.app.inject({ url: `/campaigns/${slug}` })
  t.equal(page.statusCode, 200)
  t.match(page.body, /This campaign is closed/)
  t.notMatch(page.body, /<form method="post"/)
  const formPost = await env.app.inject({ method: 'POST', url: `/campaigns/${slug}`, ...form(signer) })
  t.equal(formPost.statusCode, 409)
  t.match(formPost.body, /This campaign is closed/)
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 0)
})
