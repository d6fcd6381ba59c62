// Above a network's signing budget the form asks for a proof of work instead of refusing: many
// people behind one address can still sign. Without JavaScript the signature is kept for review.
import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import { flushCounts } from '../../src/modules/counts/service.ts'
import { issueChallenge } from '../../src/modules/challenge/service.ts'
import { countsByCountry } from '../../src/modules/signature-admin/repository.ts'
import { confirmPath, loginAs, organizerAuth, liveCampaign, setup, type TestEnv } from '../helper.ts'

const NETWORK = '198.51.100.7'

function form(env: TestEnv, slug: string, fields: Record<string, string>, remoteAddress = NETWORK, lang = 'en') {
  return env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}?lang=${lang}`,
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
    payload: new URLSearchParams(fields).toString(),
  })
}

const person = (n: number) => ({
  name: `Signer ${n}`,
  email: `signer${n}@example.org`,
  country: 'KR',
  comment: `comment ${n}`,
  publicName: 'on',
})

/** The challenge a page carries, or undefined. */
function challengeOf(body: string): string | undefined {
  return /name="challenge" value="([^"]+)"/.exec(body)?.[1]
}

/** The same search the page's script does: the number whose SHA-256 with the salt is the challenge. */
function solve(token: string): string {
  const [salt, max, , challenge] = token.split('.')
  for (let n = 0; n <= Number(max); n++) {
    if (createHash('sha256').update(`${salt}${n}`).digest('hex') === challenge) return String(n)
  }
  throw new Error('no solution')
}

/** Spends the network's budget (2 signatures) and returns the challenge page for the next one. */
async function overBudget(t: Test, env: TestEnv, slug: string, fields = person(99)) {
  for (let i = 0; i < 2; i++) t.equal((await form(env, slug, person(i))).statusCode, 303, 'under the budget')
  const res = await form(env, slug, fields)
  t.equal(res.statusCode, 200, 'a challenge, not a refusal')
  const challenge = challengeOf(res.body)
  t.ok(challenge, 'the form carries a challenge')
  return { res, challenge: challenge! }
}

const signatureCount = async (env: TestEnv, slug: string) => {
  await flushCounts(env.db)
  return (await env.app.inject({ url: `/api/v1/campaigns/${slug}` })).json<{ signatureCount: number }>().signatureCount
}

const rowOf = (env: TestEnv, email: string) =>
  env.db.selectFrom('signatures').select(['id', 'status', 'held']).where('email', '=', email).executeTakeFirst()

const env = (t: Test, workers = false) => setup(t, { workers, env: { SIGN_CHALLENGE_AFTER: '2' } })

t.test('past the budget the form answers with a challenge that keeps what was typed', async (t) => {
  const e = await env(t)
  const slug = await liveCampaign(e)
  const { res } = await overBudget(t, e, slug, { ...person(7), country: 'MN', comment: 'from Ulaanbaatar' })
  t.match(res.body, /value="Signer 7"/)
  t.match(res.body, /value="signer7@example\.org"/)
  t.match(res.body, /<option value="MN" selected>/)
  t.match(res.body, /from Ulaanbaatar<\/textarea>/)
  t.match(res.body, /id="publicName" name="publicName" type="checkbox" checked/)
  t.match(res.body, /<script src="\/static\/sign-challenge\.js\?v=[\w-]+" defer><\/script>/)
  t.match(res.body, /checked by a person before it counts/, 'the no-JavaScript path is explained')
  t.notOk(await rowOf(e, 'signer7@example.org'), 'nothing is written for the challenged request')

  const ko = await form(e, slug, person(8), NETWORK, 'ko')
  t.ok(challengeOf(ko.body))
  t.match(ko.body, /<html lang="ko">/, 'in the reader’s language')

  const other = await form(e, slug, person(9), '203.0.113.5')
  t.equal(other.statusCode, 303, 'another network is not affected')
})

t.test('a correct solution signs as usual, and counts once', async (t) => {
  const e = await env(t)
  const slug = await liveCampaign(e)
  const { challenge } = await overBudget(t, e, slug)
  const solution = solve(challenge)
  const signed = await form(e, slug, { ...person(20), challenge, solution })
  t.equal(signed.statusCode, 303)
  t.equal(signed.headers.location, `/campaigns/${slug}/thanks`)
  t.match(await rowOf(e, 'signer20@example.org'), { status: 'pending', held: false })

  const replayed = await form(e, slug, { ...person(21), challenge, solution })
  t.equal(replayed.statusCode, 200, 'a solution used once is not accepted again')
  t.ok(challengeOf(replayed.body), 'the challenge again, a fresh one')
  t.not(challengeOf(replayed.body), challenge)
  t.notOk(await rowOf(e, 'signer21@example.org'))
})

t.test('a wrong, forged or expired solution gets the challenge again', async (t) => {
  const e = await env(t)
  const slug = await liveCampaign(e)
  const { challenge } = await overBudget(t, e, slug)
  const right = Number(solve(challenge))
  const [salt, max, expires, hash] = challenge.split('.')
  const expired = issueChallenge(e.config, Date.now() - 3_600_000)
  const cases: [string, Record<string, string>][] = [
    ['wrong number', { challenge, solution: String(right + 1) }],
    ['not a number', { challenge, solution: 'x' }],
    ['forged MAC', { challenge: `${salt}.${max}.${expires}.${hash}.AAAA`, solution: String(right) }],
    ['easier maximum', { challenge: `${salt}.10.${expires}.${hash}.${challenge.split('.')[4]}`, solution: '1' }],
    ['expired', { challenge: expired, solution: solve(expired) }],
  ]
  let n = 30
  for (const [what, fields] of cases) {
    const res = await form(e, slug, { ...person(n), ...fields })
    t.equal(res.statusCode, 200, what)
    t.ok(challengeOf(res.body), `${what}: the challenge again`)
    t.notOk(await rowOf(e, `signer${n}@example.org`), `${what}: nothing written`)
    n++
  }
})

t.test('without JavaScript the signature is kept for review and counts only once accepted', async (t) => {
  const e = await env(t, true)
  const slug = await liveCampaign(e)
  const { challenge } = await overBudget(t, e, slug, person(40))
  const kept = await form(e, slug, { ...person(40), alerts: 'on', challenge, solution: '' })
  t.equal(kept.statusCode, 303, 'kept, with the usual answer')
  t.match(await rowOf(e, 'signer40@example.org'), { status: 'pending', held: true })

  const mails = await e.smtp.waitFor(3)
  const mail = mails.find((m) => m.envelopeTo.includes('signer40@example.org'))!
  t.ok(mail, 'the confirmation email is sent as usual')
  t.equal((await e.app.inject({ method: 'POST', url: confirmPath(mail) })).statusCode, 200)
  t.match(await rowOf(e, 'signer40@example.org'), { status: 'confirmed', held: true })
  const before = await signatureCount(e, slug)
  const subscribed = async () =>
    (await e.db.selectFrom('subscribers').select('id').where('email', '=', 'signer40@example.org').execute()).length
  t.equal(await subscribed(), 0, 'a held signature subscribes nobody: it may be a bot at a catch-all domain')
  const campaignId = (
    await e.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  ).id
  const confirmedIn = async () =>
    (await countsByCountry(e.db, campaignId)).reduce((sum, row) => sum + Number(row.confirmed), 0)
  t.equal(await confirmedIn(), before, 'the console counts by country leave it out too')

  const page = await e.app.inject({ url: `/campaigns/${slug}` })
  t.notMatch(page.body, /Signer 40/, 'not among the recent public names')
  const auth = await organizerAuth(e.db)
  const csv = await e.app.inject({ url: `/api/v1/campaigns/${slug}/signatures.csv`, headers: { authorization: auth } })
  t.notMatch(csv.body, /Signer 40/, 'not in the export')

  const { client } = await loginAs(e, 'organizer')
  const queue = await client.get(`/admin/campaigns/${slug}/review`)
  t.equal(queue.statusCode, 200)
  t.match(queue.body, /Signer 40/)
  t.notMatch(queue.body, /signer40@example\.org/, 'the address is masked')
  const id = (await rowOf(e, 'signer40@example.org'))!.id
  const forged = await client.post(`/admin/campaigns/${slug}/review`, { ids: id, decision: 'accept' }, false)
  t.equal(forged.statusCode, 403, 'CSRF is checked')
  const accepted = await client.post(`/admin/campaigns/${slug}/review`, { ids: id, decision: 'accept' })
  t.equal(accepted.statusCode, 303)
  t.match(await rowOf(e, 'signer40@example.org'), { status: 'confirmed', held: false })
  t.equal(await signatureCount(e, slug), before + 1, 'accepted: +1')
  t.equal(await subscribed(), 1, 'the alerts it asked for start with the accept')
  t.equal(await confirmedIn(), before + 1)

  t.match((await e.app.inject({ url: `/campaigns/${slug}` })).body, /Signer 40/)
  const csvAfter = await e.app.inject({
    url: `/api/v1/campaigns/${slug}/signatures.csv`,
    headers: { authorization: auth },
  })
  t.match(csvAfter.body, /Signer 40/)
  const again = await client.post(`/admin/campaigns/${slug}/review`, { ids: id, decision: 'accept' })
  t.equal(again.statusCode, 303)
  t.equal(await signatureCount(e, slug), before + 1, 'accepting twice counts once')
  const audit = await e.db.selectFrom('audit_log').select('action').where('action', '=', 'signatures.accept').execute()
  t.equal(audit.length, 1, 'audited')
})

t.test('a rejected signature is never counted, even once confirmed', async (t) => {
  const e = await env(t, true)
  const slug = await liveCampaign(e)
  const { challenge } = await overBudget(t, e, slug, person(50))
  t.equal((await form(e, slug, { ...person(50), challenge, solution: '' })).statusCode, 303)
  const id = (await rowOf(e, 'signer50@example.org'))!.id
  const { client } = await loginAs(e, 'organizer')
  await client.get(`/admin/campaigns/${slug}/review`)
  t.equal((await client.post(`/admin/campaigns/${slug}/review`, { ids: id, decision: 'reject' })).statusCode, 303)
  t.match(await rowOf(e, 'signer50@example.org'), { status: 'invalidated' })
  const mails = await e.smtp.waitFor(3)
  const mail = mails.find((m) => m.envelopeTo.includes('signer50@example.org'))!
  await e.app.inject({ method: 'POST', url: confirmPath(mail) })
  t.equal(await signatureCount(e, slug), 0, 'the rejected signature never counts')
  t.match(await rowOf(e, 'signer50@example.org'), { status: 'invalidated' })
  const audit = await e.db.selectFrom('audit_log').select('action').where('action', '=', 'signatures.reject').execute()
  t.equal(audit.length, 1, 'audited')
})

t.test(
  'the JSON API keeps its contract (no challenge, 429 only at the rate limit) and shares the budget',
  async (t) => {
    const e = await setup(t, { workers: false, env: { SIGN_CHALLENGE_AFTER: '1', RATE_LIMIT_PER_MINUTE: '4' } })
    const slug = await liveCampaign(e)
    const sign = (n: number) =>
      e.app.inject({
        method: 'POST',
        url: `/api/v1/campaigns/${slug}/signatures`,
        payload: { name: 'A', email: `api${n}@example.org`, country: 'KR' },
        remoteAddress: NETWORK,
      })
    for (let i = 0; i < 3; i++) t.equal((await sign(i)).statusCode, 202, 'the same answer past the budget')
    t.match(await rowOf(e, 'api0@example.org'), { status: 'pending', held: false }, 'under the budget: as usual')
    // Otherwise a bot would sign through the API past the form's proof of work, and count.
    t.match(await rowOf(e, 'api1@example.org'), { status: 'pending', held: true }, 'past it: held for review')
    t.match(await rowOf(e, 'api2@example.org'), { status: 'pending', held: true })
    const res = await form(e, slug, person(60))
    t.equal(res.statusCode, 200, 'the form from that network now asks for the proof of work')
    t.ok(challengeOf(res.body))
    t.equal((await sign(4)).statusCode, 429, 'the rate limit, shared with the form, still answers 429')
  },
)
