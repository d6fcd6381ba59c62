// Updates reach letter writers too (issue 15 point 5): everyone with a confirmed signature or
// letter on the campaign, once per person, unless they said no; the stop link of a letter works
// as a signer's, and one person's choice holds for both.
import t from 'tap'
import { recipientCount } from '../../src/modules/updates/service.ts'
import { eventually, setup, sleep, type TestEnv } from '../helper.ts'
import { mailsTo, rawHeader, settled } from '../alerts/helpers.ts'
import { letterCampaign, letterConfirmPath, ministry, pressConfirm, write } from '../letters/helpers.ts'
import { confirmedSigner, postUpdate } from './helpers.ts'

const update = { kind: 'update', title: 'Handed over', body: 'The petition was handed over.', notify: true }

/** Asks for a letter through the API in `lang` and, unless told, confirms it through the emailed link. */
async function confirmedWriter(
  env: TestEnv,
  slug: string,
  email: string,
  options: { lang?: string; updates?: boolean; confirm?: boolean } = {},
) {
  const before = mailsTo(env, email).length
  const res = await write(
    env,
    slug,
    {
      name: 'Writer',
      email,
      country: 'KR',
      ...(options.updates === undefined ? {} : { updates: options.updates }),
    },
    { 'accept-language': options.lang ?? 'en' },
  )
  if (res.statusCode !== 202) throw new Error(`letter failed: ${res.body}`)
  await eventually(async () => mailsTo(env, email).length > before, 10_000, `letter confirm email to ${email}`)
  if (options.confirm === false) return
  const confirmed = await pressConfirm(env, letterConfirmPath(mailsTo(env, email).at(-1)!))
  if (confirmed.statusCode !== 200) throw new Error(`letter confirm failed for ${email}: ${confirmed.statusCode}`)
}

const received = (env: TestEnv, from: number) =>
  env.smtp.messages
    .slice(from)
    .filter((m) => /Handed over/.test(m.parsed.subject ?? ''))
    .flatMap((m) => m.envelopeTo)
    .sort()

t.test('an update reaches every confirmed letter writer once, a writer who also signed once in all', async (t) => {
  const env = await setup(t)
  const { slug, campaignId } = await letterCampaign(env, [ministry])
  await confirmedSigner(env, slug, 'both@example.org')
  await confirmedWriter(env, slug, 'both@example.org')
  await confirmedWriter(env, slug, 'writer@example.org', { lang: 'ko' })
  await confirmedWriter(env, slug, 'optout@example.org', { updates: false })
  await confirmedWriter(env, slug, 'pending@example.org', { confirm: false })
  await sleep(300) // the letters to the target settle; they are not what is counted below

  t.equal(await recipientCount(env.db, campaignId), 2, 'the reach the console shows: two people')

  const before = env.smtp.messages.length
  const posted = await postUpdate(env, slug, update)
  t.equal(posted.status, 202)
  const progress = await settled(env, posted.json.alert.id, posted.headers)
  await sleep(300)
  t.same(received(env, before), ['both@example.org', 'writer@example.org'], 'each person once')
  t.match(progress, { status: 'done', recipients: 2, sent: 2, failed: 0 })
  const rows = await env.db
    .selectFrom('deliveries')
    .select(['signature_id', 'letter_id'])
    .where('alert_id', '=', posted.json.alert.id)
    .execute()
  t.equal(rows.filter((r) => r.signature_id).length, 1, 'the signer as a signer')
  t.equal(rows.filter((r) => r.letter_id).length, 1, 'the writer who did not sign as a writer')

  const ko = mailsTo(env, 'writer@example.org').at(-1)!
  t.match(ko.parsed.subject, /Handed over/)
  t.match(rawHeader(ko, 'List-Unsubscribe')!, /\/updates\/stop\/[\w.-]+\?lang=ko>$/, 'in the writer language')
})

t.test('a letter writer stops updates in one click; one person, one choice for signature and letter', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  await confirmedWriter(env, slug, 'writer@example.org')
  await confirmedWriter(env, slug, 'both@example.org')
  const first = await postUpdate(env, slug, update)
  await settled(env, first.json.alert.id, first.headers)
  await sleep(300)

  const mail = mailsTo(env, 'writer@example.org').at(-1)!
  const url = /<http:\/\/ua\.test(\/updates\/stop\/[\w.-]+)\?lang=en>/.exec(rawHeader(mail, 'List-Unsubscribe')!)![1]!
  const page = await env.app.inject({ url })
  t.match(page.body, /Stop these emails/, 'the letter link opens the stop page')
  const stopped = await env.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  })
  t.equal(stopped.statusCode, 200)
  t.match(stopped.body, /no more news/)

  // both@ signs after writing, then stops through the update sent to the letter: the signature stops too.
  const bothMail = mailsTo(env, 'both@example.org').at(-1)!
  await confirmedSigner(env, slug, 'both@example.org')
  const bothUrl = /<http:\/\/ua\.test(\/updates\/stop\/[\w.-]+)\?lang=en>/.exec(
    rawHeader(bothMail, 'List-Unsubscribe')!,
  )![1]!
  t.equal((await env.app.inject({ method: 'POST', url: bothUrl })).statusCode, 200)
  const signature = await env.db
    .selectFrom('signatures')
    .select('wants_updates')
    .where('email', '=', 'both@example.org')
    .executeTakeFirstOrThrow()
  t.equal(signature.wants_updates, false, 'the signature of the same person stops with the letter')

  const before = env.smtp.messages.length
  const second = await postUpdate(env, slug, update, first.headers.authorization)
  const progress = await settled(env, second.json.alert.id, second.headers)
  await sleep(300)
  t.same(received(env, before), [], 'nobody who stopped hears again')
  t.match(progress, { status: 'done', recipients: 0 })
})

t.test('the letter form offers to opt out of updates up front, in the reader language', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  for (const [lang, words] of [
    ['en', /No news of this campaign by email/],
    ['ko', /이 캠페인의 소식을 이메일로 받지 않겠습니다/],
    ['zh', /不要通过电子邮件发送本活动的进展/],
  ] as const) {
    const page = await env.app.inject({ url: `/campaigns/${slug}/letter/send?lang=${lang}` })
    t.equal(page.statusCode, 200)
    t.match(page.body, /name="noUpdates"/)
    t.match(page.body, words)
  }
})
