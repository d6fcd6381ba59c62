import t from 'tap'
import { campaignInput, organizerAuth, setup, type TestEnv } from '../helper.ts'

const letter = {
  en: { subject: 'Do not return them', body: 'Dear Minister,\n\nPlease do not return them.' },
  zh: { subject: '请勿遣返', body: '尊敬的部长：\n\n请不要遣返他们。' },
}

async function auditOf(env: TestEnv, action: string) {
  const rows = await env.db
    .selectFrom('audit_log')
    .select(['detail', 'via'])
    .where('action', '=', action)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.detail)
}

t.test('a campaign is created with its letter, shown in its JSON and audited', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'with-letter', letter: { zh: letter.zh, en: letter.en } },
  })
  t.equal(created.statusCode, 201, created.body)
  t.same(created.json().letter, letter)
  t.same(Object.keys(created.json().letter), ['en', 'zh'], 'in the languages’ order')
  const rows = await env.db.selectFrom('campaign_letters').select(['locale', 'subject']).orderBy('locale').execute()
  t.same(rows, [
    { locale: 'en', subject: letter.en.subject },
    { locale: 'zh', subject: letter.zh.subject },
  ])
  t.same((await auditOf(env, 'campaign.create'))[0]!.letter, ['en', 'zh'])

  await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/with-letter/launch', headers })
  const pub = await env.app.inject({ url: '/api/v1/campaigns/with-letter' })
  t.same(pub.json().letter, letter, 'the letter is public text')
})

t.test('PATCH changes what it is given, keeps the rest, and audits one change naming the fields', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db, 'jo@example.org') }
  const target = await env.app.inject({
    method: 'POST',
    url: '/api/v1/targets',
    headers,
    payload: { name: 'Representative', organisation: 'UNHCR', country: 'CN', locale: 'en', email: 'rep@example.org' },
  })
  await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'patched', letter },
  })

  const ko = { subject: '강제 송환을 멈춰 주십시오', body: '장관님께,\n\n강제 송환을 멈춰 주십시오.' }
  const patched = await env.app.inject({
    method: 'PATCH',
    url: '/api/v1/campaigns/patched',
    headers,
    payload: { title: 'A new title', targets: [target.json().id], letter: { ko, zh: null } },
  })
  t.equal(patched.statusCode, 200, patched.body)
  const json = patched.json()
  t.equal(json.title, 'A new title')
  t.equal(json.summary, campaignInput.summary, 'what was not sent stays')
  t.same(json.letter, { en: letter.en, ko }, 'ko added, zh removed, en kept')
  t.same(
    json.targets.map((x: { name: string }) => x.name),
    ['Representative'],
  )
  t.notMatch(patched.body, /rep@example\.org/, 'never a target’s email')

  const audits = await auditOf(env, 'campaign.update')
  t.equal(audits.length, 1, 'one audit entry for the one change')
  t.same(audits[0], { slug: 'patched', fields: ['title', 'targets', 'letter'], letter: ['ko', 'zh'] })

  const again = await env.app.inject({
    method: 'PATCH',
    url: '/api/v1/campaigns/patched',
    headers,
    payload: { title: 'A new title', letter: { ko } },
  })
  t.equal(again.statusCode, 200)
  t.equal((await auditOf(env, 'campaign.update')).length, 1, 'a change to nothing is not audited')
})

t.test('bad input gets a 400 naming the field and changes nothing', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'guarded', letter: { en: letter.en } },
  })
  const cases: [string, Record<string, unknown>, string][] = [
    ['body too long', { letter: { en: { subject: 'x', body: 'x'.repeat(5001) } } }, 'letter.en.body'],
    ['subject too long', { letter: { ko: { subject: 'x'.repeat(201), body: 'x' } } }, 'letter.ko.subject'],
    ['empty subject', { letter: { zh: { subject: ' ', body: 'x' } } }, 'letter.zh.subject'],
    ['missing body', { letter: { en: { subject: 'x' } } }, 'letter.en.body'],
    ['unknown language', { letter: { fr: letter.en } }, 'letter'],
    ['a field of its own', { letter: { en: { ...letter.en, to: 'x@example.org' } } }, 'letter.en'],
    ['unknown target', { title: 'Changed', targets: ['999999'] }, 'targets'],
  ]
  for (const [name, payload, field] of cases) {
    const res = await env.app.inject({ method: 'PATCH', url: '/api/v1/campaigns/guarded', headers, payload })
    t.equal(res.statusCode, 400, name)
    t.equal(res.json().error, 'invalid_input', name)
    t.ok(Object.keys(res.json().fields ?? {}).includes(field), `${name}: names ${field} in ${res.body}`)
  }
  const create = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'never', letter: { en: { subject: 'x', body: 'x'.repeat(5001) } } },
  })
  t.equal(create.statusCode, 400)
  t.ok(create.json().fields['letter.en.body'])

  const stored = await env.app.inject({ url: '/api/v1/campaigns/guarded', headers })
  t.equal(stored.statusCode, 404, 'a draft stays private')
  const row = await env.db
    .selectFrom('campaigns')
    .select('title')
    .where('slug', '=', 'guarded')
    .executeTakeFirstOrThrow()
  t.equal(row.title, campaignInput.title, 'nothing half-written')
  t.same(await env.db.selectFrom('campaign_letters').select('subject').execute(), [{ subject: letter.en.subject }])
  t.equal((await auditOf(env, 'campaign.update')).length, 0)

  const unknown = await env.app.inject({ method: 'PATCH', url: '/api/v1/campaigns/nope', headers, payload: {} })
  t.equal(unknown.statusCode, 404)
  const anonymous = await env.app.inject({ method: 'PATCH', url: '/api/v1/campaigns/guarded', payload: {} })
  t.equal(anonymous.statusCode, 401)
})
