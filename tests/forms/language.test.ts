import t from 'tap'
import { PURPOSE } from '../../src/modules/subscribers/service.ts'
import { confirmToken } from '../../src/security.ts'
import { ConsoleClient, eventually, liveCampaign, loginAs, setup, type TestEnv } from '../helper.ts'
import { errorTexts, notInLanguage } from './language.ts'

type Lang = 'en' | 'ko' | 'zh'
type Answer = { statusCode: number; body: string; headers: Record<string, unknown> }
type Case = { form: string; send: (lang: Lang) => Promise<Answer> }

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
})
const withLang = (url: string, lang: Lang) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`
const reportFields = {
  occurredOn: '2021-07-14',
  placeName: 'Changbai county',
  province: 'Jilin',
  country: 'CN',
  peopleCount: '47',
  kind: 'detention',
  summary: 'At least 47 North Koreans held in Changbai county.',
  confidence: 'credible',
  locale: 'en',
}

/** An active subscriber's preferences page, as an alert email links it. */
async function preferencesPath(env: TestEnv) {
  const res = await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: 'p@example.org' } })
  t.equal(res.statusCode, 202)
  const row = await env.db
    .updateTable('subscribers')
    .set({ status: 'active' })
    .returning('nonce')
    .executeTakeFirstOrThrow()
  return `/alerts/preferences/${confirmToken(env.config.secretKey, PURPOSE.preferences, row.nonce)}`
}

t.test('every form refused shows its messages in the reader language, and none in English on ko and zh', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const prefs = await preferencesPath(env)
  const admin = await loginAs(env, 'admin')
  const { client } = admin
  const consolePost =
    (url: string, fields: Record<string, string> = {}) =>
    (lang: Lang) =>
      client.post(withLang(url, lang), fields)
  const publicPost = (url: string, fields: Record<string, string>) => (lang: Lang) =>
    env.app.inject({ method: 'POST', url: withLang(url, lang), ...form(fields) })

  // A report published (its alert then cancelled) and one left a draft, and an invitation.
  await client.get('/admin/reports/new')
  const draft = await client.post('/admin/reports', reportFields)
  const reportUrl = draft.headers.location as string
  await client.get(reportUrl)
  const published = await client.post(`${reportUrl}/publish`)
  const alertUrl = published.headers.location as string
  await client.get(alertUrl)
  await client.post(`${alertUrl}/cancel`, { confirm: '1' })
  await client.get('/admin/organizers/new')
  t.equal(
    (await client.post('/admin/organizers', { email: 'new@example.org', name: 'New', role: 'organizer' })).statusCode,
    303,
  )
  const invitation = await eventually(
    async () => env.smtp.messages.find((m) => m.envelopeTo.includes('new@example.org')),
    10_000,
    'the invitation email',
  )
  const inviteUrl = /https?:\/\/[^/\s]+(\/admin\/invite\/[A-Za-z0-9_.-]+)/.exec(invitation.parsed.text ?? '')![1]!

  const cases: Case[] = [
    // Public forms.
    { form: 'sign a petition', send: publicPost(`/campaigns/${slug}`, { name: '', email: 'bad@', country: 'XX' }) },
    { form: 'subscribe to alerts', send: publicPost('/alerts', { email: 'nope', frequency: 'hourly' }) },
    {
      form: 'subscribe to alerts, a campaign that does not exist',
      send: publicPost('/alerts', { email: 'a@example.org', campaigns: 'no-such-campaign' }),
    },
    { form: 'alert preferences', send: publicPost(prefs, { frequency: 'hourly', locale: 'xx' }) },
    {
      form: 'alert preferences, a campaign that does not exist',
      send: publicPost(prefs, { frequency: 'daily', campaigns: 'no-such-campaign' }),
    },
    { form: 'erase my data', send: publicPost('/privacy/erase', { email: 'not an address' }) },
    // The console's forms.
    {
      form: 'log in',
      send: async (lang) => {
        const visitor = new ConsoleClient(env)
        await visitor.get(withLang('/admin/login', lang))
        return visitor.post(withLang('/admin/login', lang), { email: 'nobody@example.org', password: 'wrong' })
      },
    },
    {
      form: 'accept an invitation',
      send: async (lang) => {
        const invitee = new ConsoleClient(env)
        await invitee.get(withLang(inviteUrl, lang))
        return invitee.post(withLang(inviteUrl, lang), { password: 'long enough phrase 1', confirmation: 'other' })
      },
    },
    {
      form: 'change my password',
      send: consolePost('/admin/account/password', { current: 'wrong', password: 'a', confirmation: 'b' }),
    },
    {
      form: 'create a campaign',
      send: consolePost('/admin/campaigns', {
        title: '',
        summary: 'S',
        body: 'B',
        target: 'T',
        goal: 'lots',
        slug: 'Bad Slug',
        locale: 'en',
        asks: '',
      }),
    },
    {
      form: 'create a campaign with a past deadline',
      send: consolePost('/admin/campaigns', {
        title: 'T',
        summary: 'S',
        body: 'B',
        target: 'T',
        goal: '10',
        asks: 'A',
        deadline: '2001-01-01',
        locale: 'en',
      }),
    },
    {
      form: 'edit a campaign',
      send: consolePost(`/admin/campaigns/${slug}/edit`, {
        title: '',
        summary: 'S',
        body: 'B',
        target: 'T',
        goal: '0',
        asks: 'A',
        deadline: 'soon',
        locale: 'en',
      }),
    },
    {
      form: 'translate a campaign',
      send: consolePost(`/admin/campaigns/${slug}/translations/ko`, { title: 'x'.repeat(201) }),
    },
    { form: 'launch a live campaign', send: consolePost(`/admin/campaigns/${slug}/launch`) },
    {
      form: 'invalidate signatures',
      send: consolePost(`/admin/campaigns/${slug}/invalidations`, {
        emailDomain: 'not a domain',
        expected: 'x',
        upTo: 'y',
      }),
    },
    {
      form: 'preview an invalidation',
      send: (lang) => client.get(withLang(`/admin/campaigns/${slug}/invalidations/new?from=yesterday`, lang)),
    },
    {
      form: 'create a report',
      send: consolePost('/admin/reports', {
        ...reportFields,
        occurredOn: '2999-01-01',
        country: 'XX',
        peopleCount: 'many',
        sourceUrl: 'ftp://x',
        campaign: 'no-such-campaign',
      }),
    },
    { form: 'publish a published report', send: consolePost(`${reportUrl}/publish`) },
    { form: 'retract without a note', send: consolePost(`${reportUrl}/retract`, { note: '  ' }) },
    {
      form: 'translate a report',
      send: consolePost(`${reportUrl}/translations/ko`, { summary: 'x'.repeat(5001) }),
    },
    { form: 'cancel a cancelled alert', send: consolePost(`${alertUrl}/cancel`) },
    {
      form: 'invite an organizer',
      send: consolePost('/admin/organizers', { email: 'not an address', name: '', role: 'organizer' }),
    },
  ]

  for (const c of cases) {
    for (const lang of ['en', 'ko', 'zh'] as const) {
      const res = await c.send(lang)
      const what = `${c.form} (${lang})`
      t.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: 4xx, not ${res.statusCode}`)
      t.match(res.headers['content-type'], /text\/html/, `${what}: a page`)
      t.match(res.body, /<form /, `${what}: a form on it`)
      t.match(res.body, new RegExp(`<html lang="${lang === 'zh' ? 'zh-Hans' : lang}"`), `${what}: in ${lang}`)
      const texts = errorTexts(res.body)
      t.ok(texts.length > 0, `${what}: says what is wrong`)
      if (lang === 'en') continue
      for (const text of texts) t.equal(notInLanguage(text, lang), undefined, `${what}: "${text}"`)
    }
  }
})

t.test('the API says the same refusals in English, in the contract shape, whatever the language asked', async (t) => {
  const env = await setup(t, { workers: false })
  await liveCampaign(env)
  const headers = { 'accept-language': 'ko', cookie: 'lang=zh' }
  const bad = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers?lang=ko',
    headers,
    payload: { email: 'nope' },
  })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), {
    error: 'invalid_input',
    message: 'Some fields are not valid.',
    fields: { email: 'Enter a valid email address.' },
  })
  const gone = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    headers,
    payload: { email: 'a@example.org', topics: { campaigns: ['no-such-campaign'] } },
  })
  t.same(gone.json(), {
    error: 'invalid_input',
    message: 'Some fields are not valid.',
    fields: { 'topics.campaigns': 'No campaign has the address no-such-campaign.' },
  })
  const missing = await env.app.inject({ url: '/api/v1/campaigns/no-such-campaign', headers })
  t.same(missing.json(), { error: 'not_found', message: 'Not found.' })
  const notJson = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: '{"email": ',
  })
  t.same(notJson.json(), { error: 'invalid_input', message: 'The request body is not valid JSON or form data.' })
})
