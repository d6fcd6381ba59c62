// Publishing a report shows first whom it reaches (issue 18 point 12): the subscribers its alert
// goes to now, by language, the languages without a translation, and the email in each language;
// the alert's page refreshes itself while it sends.
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createReport, translateReport } from '../../src/modules/reports/service.ts'
import { activeSubscriber, settled } from '../alerts/helpers.ts'
import { loginAs, organizerAuth, setup } from '../helper.ts'

const fixtures = systemActor('cli')
const input = {
  occurredOn: '2021-07-15',
  place: { name: 'Tumen crossing', province: 'Jilin', country: 'CN' },
  peopleCount: 12,
  kind: 'detention' as const,
  summary: 'Twelve held at the Tumen crossing.',
  confidence: 'credible' as const,
}

t.test('the draft page counts the reach by language and previews each email', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'en1@example.org', { locale: 'en' })
  await activeSubscriber(env, 'en2@example.org', { locale: 'en' })
  await activeSubscriber(env, 'ko@example.org', { locale: 'ko', topics: { provinces: ['지린성'] } })
  await activeSubscriber(env, 'zh@example.org', { locale: 'zh', topics: { provinces: ['Liaoning'] } })
  const draft = await createReport(env.db, fixtures, input)
  await translateReport(env.db, fixtures, draft.id, 'ko', { summary: '투먼에서 12명 구금.' })
  const { client } = await loginAs(env, 'organizer')

  const shown = await client.get(`/admin/reports/${draft.id}`)
  t.equal(shown.statusCode, 200)
  t.match(shown.body, 'The alert will go to 3 subscribers now.', 'the topic matching of the fan-out itself')
  const reach = shown.body.split('id="reach-heading"')[1]!.split('</section>')[0]!
  const items = [...reach.matchAll(/<li><span lang="(\w+)">[^<]+<\/span>: ([^<·]+)/g)].map((m) => [m[1], m[2]!.trim()])
  t.same(items, [
    ['en', '2 subscribers'],
    ['ko', '1 subscriber'],
    ['zh', '0 subscribers'],
  ])
  t.notMatch(reach.split('lang="ko"')[1]!.split('</li>')[0], /no translation/, 'ko is translated')
  t.match(reach.split('lang="zh"')[1]!.split('</li>')[0], /no translation/, 'zh is not')
  t.match(shown.body, `href="/admin/reports/${draft.id}/preview/zh"`)

  const zh = await client.get(`/admin/reports/${draft.id}/preview/zh`)
  t.equal(zh.statusCode, 200)
  t.match(zh.body, '拘押：Tumen crossing（吉林省），12 人', 'the subject as the subscriber gets it')
  t.match(zh.body, /no translation into this language/)
  t.match(zh.body, /Twelve held at the Tumen crossing\./, 'the text part, as written')
  const ko = await client.get(`/admin/reports/${draft.id}/preview/ko`)
  t.match(ko.body, '투먼에서 12명 구금.', 'the translation in the Korean email')
  t.notMatch(ko.body, /no translation into this language/)

  const html = await client.get(`/admin/reports/${draft.id}/preview/zh/html`)
  t.equal(html.statusCode, 200)
  t.match(html.headers['content-type'], /^text\/html/)
  const csp = String(html.headers['content-security-policy'])
  t.match(csp, /sandbox/, 'no script, no forms')
  t.match(csp, /frame-ancestors 'none'/, 'framed by nobody')
  t.notMatch(csp, /script-src/, 'no script allowed')
  t.match(html.body, '<html lang="zh-Hans">')
  t.match(html.body, '<span lang="en">Tumen crossing</span>')
  t.equal((await env.db.selectFrom('deliveries').select('id').execute()).length, 0, 'a preview sends nothing')
  const unknown = await client.get(`/admin/reports/${draft.id}/preview/xx`)
  t.ok([400, 404].includes(unknown.statusCode), `an unknown language is refused: ${unknown.statusCode}`)

  // Published: the alert's page refreshes itself while it sends, and stops when it is done.
  const headers = { authorization: await organizerAuth(env.db) }
  const published = await env.app.inject({ method: 'POST', url: `/api/v1/reports/${draft.id}/publish`, headers })
  const alertId = published.json().alert.id as string
  await env.db.updateTable('alerts').set({ status: 'paused' }).where('id', '=', alertId).execute()
  t.notMatch((await client.get(`/admin/alerts/${alertId}`)).body, /http-equiv="refresh"/, 'paused: nothing to watch')
  await env.db.updateTable('alerts').set({ status: 'sending' }).where('id', '=', alertId).execute()
  t.match((await client.get(`/admin/alerts/${alertId}`)).body, '<meta http-equiv="refresh" content="5">')
  await settled(env, alertId, headers)
  const done = await client.get(`/admin/alerts/${alertId}`)
  t.notMatch(done.body, /http-equiv="refresh"/)
  t.notMatch((await client.get(`/admin/reports/${draft.id}`)).body, /Before you publish/, 'published: no reach to show')
})
