// Reports in the reader's language: an organizer writes a report in one language and adds its
// summary, place and province in others; the tracker, the feed, the alert emails, the digests and
// the subscription form show them to each reader in theirs, and the original where none exists.
import t from 'tap'
import { runDigest } from '../../src/modules/digests/service.ts'
import { eventually, openQueue, organizerAuth, setup } from '../helper.ts'
import { activeSubscriber, linkIn, mailsTo, publish, settled } from '../alerts/helpers.ts'
import { report } from './helpers.ts'

const ko = {
  summary: '투먼에 북한 주민 최소 325명이 구금된 것으로 알려졌다.',
  place: { name: '투먼', province: '지린성' },
}
const zh = { summary: '据信图们至少关押着325名朝鲜人。', place: { name: '图们', province: '吉林省' } }
const translatedReport = { ...report, translations: { ko, zh } }

t.test('the API takes a report with its translations, and refuses malformed ones naming the field', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const post = (payload: object) => env.app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload })

  const created = await post(translatedReport)
  t.equal(created.statusCode, 201)
  t.match(created.json(), { locale: 'en', translations: { ko, zh } }, 'written in English unless said otherwise')
  const written = await post({
    ...report,
    locale: 'ko',
    summary: ko.summary,
    translations: { en: { summary: report.summary }, zh: { place: {} } },
  })
  t.match(written.json(), { locale: 'ko', translations: { en: { summary: report.summary } } })
  t.same(Object.keys(written.json().translations), ['en'], 'a language with no text is not a translation')

  const cases: [string, object][] = [
    ['translations.en', { translations: { en: { summary: 'the same language' } } }],
    ['translations.ko', { locale: 'ko', translations: { ko } }],
    ['translations', { translations: { fr: { summary: 'Détenus à Tumen.' } } }],
    ['translations.ko', { translations: { ko: { title: 'not a report field' } } }],
    ['translations.ko.summary', { translations: { ko: { summary: 'x'.repeat(5001) } } }],
    ['translations.zh.place.name', { translations: { zh: { place: { name: '' } } } }],
    ['locale', { locale: 'fr' }],
  ]
  for (const [field, patch] of cases) {
    const res = await post({ ...report, ...patch })
    t.equal(res.statusCode, 400, JSON.stringify(patch).slice(0, 80))
    t.ok(res.json().fields?.[field], `${field}: ${JSON.stringify(res.json().fields)}`)
  }
  t.equal((await env.db.selectFrom('reports').select('id').execute()).length, 2, 'no refused report was written')
})

t.test('PUT /api/v1/reports/:id/translations/:locale sets, replaces and removes one language', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const id = (await env.app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload: report })).json().id
  const put = (locale: string, payload: object, reportId = id) =>
    env.app.inject({ method: 'PUT', url: `/api/v1/reports/${reportId}/translations/${locale}`, headers, payload })

  t.equal(
    (await env.app.inject({ method: 'PUT', url: `/api/v1/reports/${id}/translations/ko`, payload: ko })).statusCode,
    401,
  )
  const set = await put('ko', { ...ko, summary: `  ${ko.summary}  ` })
  t.equal(set.statusCode, 200)
  t.same(set.json().translations, { ko }, 'trimmed')
  t.same((await put('zh', { place: { province: '吉林省' } })).json().translations, {
    ko,
    zh: { place: { province: '吉林省' } },
  })
  t.same((await put('zh', {})).json().translations, { ko }, 'an empty translation removes it')

  const refused: [number, string, object, string?][] = [
    [400, 'en', ko],
    [400, 'fr', ko],
    [400, 'ko', { summary: '' }],
    [400, 'ko', { heading: 'no such field' }],
    [404, 'ko', ko, '424242'],
  ]
  for (const [status, locale, payload, reportId] of refused) {
    const res = await put(locale, payload, reportId)
    t.equal(res.statusCode, status, `${locale} ${JSON.stringify(payload).slice(0, 40)}: ${res.body}`)
  }
  t.match((await put('en', ko)).json().fields, { locale: /written in en/ })

  await env.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/publish`, headers })
  t.equal((await put('zh', zh)).statusCode, 200, 'a published report can still be translated')
  await env.app.inject({
    method: 'POST',
    url: `/api/v1/reports/${id}/retract`,
    headers,
    payload: { note: 'Wrong town.' },
  })
  t.equal((await put('zh', { summary: 'changed' })).statusCode, 409, 'a retracted report is closed')

  const row = await env.db.selectFrom('reports').select('translations').where('id', '=', id).executeTakeFirstOrThrow()
  t.same(row.translations, { ko, zh })
  const audit = await env.db
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('action', '=', 'report.translate')
    .execute()
  t.same(
    audit.map((a) => a.detail),
    [{ locale: 'ko' }, { locale: 'zh' }, { locale: 'zh' }, { locale: 'zh' }],
  )
})

t.test('the tracker and the feed show each reader the translation, and the original where there is none', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  for (const payload of [
    { ...translatedReport, translations: { ko } },
    { ...report, place: { ...report.place, name: 'Dandong', province: 'Liaoning' }, summary: 'Held in Dandong.' },
  ]) {
    const id = (await env.app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload })).json().id
    await env.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/publish`, headers })
  }

  const inKorean = (await env.app.inject({ url: '/reports?lang=ko' })).body
  t.match(inKorean, `<p class="report-summary" lang="ko">${ko.summary}</p>`)
  t.match(
    inKorean,
    /<h3 [^>]*><a href="\/reports\/\d+">구금: 지린성 투먼<\/a><\/h3>/,
    'the place and province in the heading',
  )
  t.match(inKorean, /<th scope="row">지린성 투먼<\/th>/, 'the total by place')
  t.match(inKorean, /<th scope="row">지린성\(중국\)<\/th>/, 'the total by province')
  t.match(
    inKorean,
    /<p class="report-summary" lang="en">Held in Dandong.<\/p>/,
    'untranslated: the original, marked English',
  )
  t.match(inKorean, /랴오닝성 단둥/, 'untranslated names: the known Korean ones')
  t.notMatch(inKorean, /believed held in Tumen/)

  const inChinese = (await env.app.inject({ url: '/reports?lang=zh' })).body
  t.match(inChinese, `lang="en">${report.summary}</p>`, 'no Chinese translation: the English one')
  t.match(inChinese, /图们/, 'the known Chinese name of the place')

  const english = (await env.app.inject({ url: '/reports?lang=en' })).body
  t.match(english, `<p class="report-summary" lang="en">${report.summary}</p>`)
  t.notMatch(english, /투먼/)

  const feed = (await env.app.inject({ url: '/reports.atom?lang=ko' })).body
  t.match(feed, /지린성 투먼/)
  t.match(feed, `lang=&quot;ko&quot;&gt;${ko.summary}`)

  const form = (await env.app.inject({ url: '/alerts?lang=ko' })).body
  t.match(
    form,
    /value="jilin"[^>]*><label for="p-\d">지린성<\/label>/,
    'the province to follow, in Korean, with the same value',
  )
})

t.test('an alert and a digest reach each subscriber in their language', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'ko@example.org', { locale: 'ko' })
  await activeSubscriber(env, 'en@example.org', { locale: 'en' })
  await activeSubscriber(env, 'zh-daily@example.org', { locale: 'zh', frequency: 'daily' })
  const { alertId, headers } = await publish(env, translatedReport)
  await settled(env, alertId, headers)

  const korean = mailsTo(env, 'ko@example.org').at(-1)!
  t.match(korean.parsed.subject, /투먼/)
  t.match(korean.parsed.text, ko.summary)
  t.match(korean.parsed.html, `lang="ko"`)
  t.notMatch(korean.parsed.text, report.summary)
  const english = mailsTo(env, 'en@example.org').at(-1)!
  t.match(english.parsed.subject, /Tumen/)
  t.match(english.parsed.text, report.summary)

  const deliveries = openQueue(t, env, 'deliveries')
  t.equal(await runDigest(env.db, deliveries, '2026-01-01', new Date()), 1)
  const digest = await eventually(
    async () => mailsTo(env, 'zh-daily@example.org').find((m) => m.parsed.text?.includes(zh.summary)),
    30_000,
  )
  t.match(digest.parsed.text, /图们/)
})

t.test('a province topic follows the province in whichever language a report names it', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'jilin@example.org', { topics: { provinces: ['Jilin'] } })
  await activeSubscriber(env, 'jilin-ko@example.org', { locale: 'ko', topics: { provinces: ['지린성'] } })
  await activeSubscriber(env, 'liaoning@example.org', { topics: { provinces: ['Liaoning'] } })
  await activeSubscriber(env, 'jilin-daily@example.org', { frequency: 'daily', topics: { provinces: ['jilin'] } })

  // Written in Korean, translated into English; then written in English, translated into Korean.
  const korean = {
    ...report,
    locale: 'ko',
    summary: ko.summary,
    place: { ...report.place, name: '투먼', province: '지린성' },
    translations: { en: { summary: report.summary, place: { name: 'Tumen', province: 'Jilin' } } },
  }
  const first = await publish(env, korean)
  await settled(env, first.alertId, first.headers)
  t.equal(
    mailsTo(env, 'jilin@example.org').filter((m) => /투먼|Tumen/.test(m.parsed.subject ?? '')).length,
    1,
    '"Jilin" gets the report written as 지린성',
  )
  t.equal(mailsTo(env, 'jilin-ko@example.org').filter((m) => /투먼/.test(m.parsed.subject ?? '')).length, 1)
  t.equal(mailsTo(env, 'liaoning@example.org').length, 1, 'only the confirmation: another province')

  const second = await publish(env, {
    ...report,
    place: { ...report.place, name: 'Changbai county' },
    translations: { ko: { place: { province: '지린성' } } },
  })
  await settled(env, second.alertId, second.headers)
  t.equal(
    mailsTo(env, 'jilin-ko@example.org').filter((m) => /창바이현/.test(m.parsed.subject ?? '')).length,
    1,
    '"지린성" gets the report written as Jilin, with the Korean name of its place',
  )

  const deliveries = openQueue(t, env, 'deliveries')
  await runDigest(env.db, deliveries, '2026-01-01', new Date())
  const digest = await eventually(
    async () => mailsTo(env, 'jilin-daily@example.org').find((m) => /digest/i.test(m.parsed.subject ?? '')),
    30_000,
  )
  t.match(digest.parsed.subject, /2 new reports/, 'the daily reader of "jilin" gets both')

  // One province, one choice to follow, named in the reader's language; a topic saved under any of its names ticks it.
  const english = (await env.app.inject({ url: '/alerts?lang=en' })).body
  t.equal(english.match(/name="provinces"/g)?.length, 1)
  t.match(english, /value="jilin"[^>]*><label for="p-0">Jilin<\/label>/)
  t.match(
    (await env.app.inject({ url: '/alerts?lang=ko' })).body,
    /value="jilin"[^>]*><label for="p-0">지린성<\/label>/,
  )
  const preferences = (await env.app.inject({ url: linkIn(env, 'jilin-ko@example.org', '/alerts/preferences/') })).body
  t.match(preferences, /value="jilin" checked><label for="p-0">Jilin<\/label>/, 'saved as 지린성, shown ticked')
})
