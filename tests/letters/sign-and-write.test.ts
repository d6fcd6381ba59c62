// Sign and write in one go (issue 15 point 2): one request, one email, one button; the letter
// goes to each target once the signature is confirmed, never before, and never twice.
import t from 'tap'
import { decideHeld } from '../../src/modules/signature-admin/review.ts'
import { findPublicCampaign } from '../../src/modules/campaigns/service.ts'
import { sign as signService } from '../../src/modules/signatures/service.ts'
import { confirmPath, eventually, loginAs, setup, sleep } from '../helper.ts'
import { mailsTo } from '../alerts/helpers.ts'
import {
  letterCampaign,
  letterConfirmPath,
  lettersTo,
  ministry,
  noEmail,
  outboxSettled,
  pressConfirm,
  supporter,
} from './helpers.ts'

const sign = (env: Parameters<typeof lettersTo>[0], slug: string, payload: object) =>
  env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload })

const signer = { name: supporter.name, email: 'both@example.org', country: 'KR' }

/** The confirm page's button, pressed with what the page showed. */
async function pressSignatureConfirm(env: Parameters<typeof lettersTo>[0], path: string) {
  const page = await env.app.inject({ url: path })
  const shown = /name="shown" value="([^"]+)"/.exec(page.body)![1]!
  const pressed = await env.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `shown=${shown}`,
  })
  return { page, pressed }
}

t.test('a signature with a letter: one email, and its button sends the letter once', async (t) => {
  const env = await setup(t)
  const { slug, campaignId } = await letterCampaign(env, [ministry, noEmail])
  const answered = await sign(env, slug, { ...signer, letter: { city: 'Seoul' } })
  t.equal(answered.statusCode, 202)
  t.same(answered.json(), { status: 'check-email' }, 'the answer of a signature alone')
  await outboxSettled(env)
  const mails = mailsTo(env, signer.email)
  t.equal(mails.length, 1, 'one email for both')
  t.equal(lettersTo(env, ministry.email!).length, 0, 'nothing to the target before the button')

  const { page, pressed } = await pressSignatureConfirm(env, confirmPath(mails[0]!))
  t.match(page.body, /Your letter goes to/, 'the confirm page says the letter goes too')
  t.match(page.body, /Minister \(Minister office\)/)
  t.notMatch(page.body, /Embassy/, 'not to a target without an email')
  t.match(page.body, /Seoul/, 'the city the letter is signed with')
  t.match(page.body, /The campaign(&#39;|')s letter, in each recipient(&#39;|')s language/, 'and which words go')
  t.equal(pressed.statusCode, 200)
  await outboxSettled(env)
  await sleep(300)
  const letters = lettersTo(env, ministry.email!)
  t.equal(letters.length, 1, 'the letter reached the target')
  t.match(letters[0]!.parsed.text, /请给予他们安全通行/, "the campaign's letter in the target's language")
  t.match(letters[0]!.parsed.text, /Lee Su-jin/)
  t.notMatch(letters[0]!.raw.toString(), /both@example\.org/, 'never the supporter address')
  const rows = await env.db
    .selectFrom('signatures')
    .innerJoin('letters', (j) =>
      j
        .onRef('letters.campaign_id', '=', 'signatures.campaign_id')
        .onRef('letters.email_key', '=', 'signatures.email_key'),
    )
    .select(['signatures.status as signed', 'letters.status as wrote', 'letters.city'])
    .where('signatures.campaign_id', '=', campaignId)
    .execute()
  t.same(rows, [{ signed: 'confirmed', wrote: 'confirmed', city: 'Seoul' }])

  // The same again, signed and written: nothing new reaches the target.
  t.equal((await sign(env, slug, { ...signer, letter: {} })).statusCode, 202)
  await outboxSettled(env)
  await sleep(300)
  t.equal(lettersTo(env, ministry.email!).length, 1, 'once per (campaign, address, target)')
})

t.test('through the letter form: "sign the petition too" signs and writes with one button', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  const sent = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}/letter/send`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...signer, city: 'Busan', body: 'My own words for you.', sign: 'on' }).toString(),
  })
  t.equal(sent.statusCode, 303)
  await outboxSettled(env)
  const mails = mailsTo(env, signer.email)
  t.equal(mails.length, 1)
  t.match(mails[0]!.parsed.text, /\/confirm\//, "the signature's confirmation, which confirms both")
  await pressSignatureConfirm(env, confirmPath(mails[0]!))
  await outboxSettled(env)
  await sleep(300)
  const [letter] = lettersTo(env, ministry.email!)
  t.match(letter?.parsed.text, /My own words for you\./, "the supporter's own words")
  const count = await env.db.selectFrom('signatures').select('status').where('email', '=', signer.email).execute()
  t.same(count, [{ status: 'confirmed' }], 'and the signature counts')
})

t.test(
  'bad letters: too long is answered as success and writes no letter; no words where there is no letter',
  async (t) => {
    const env = await setup(t)
    const { slug } = await letterCampaign(env, [ministry])
    const long = await sign(env, slug, { ...signer, letter: { body: 'x'.repeat(6000) } })
    t.equal(long.statusCode, 202)
    const letters = await env.db.selectFrom('letters').select('id').execute()
    t.equal(letters.length, 0, 'no letter written')
    t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 1, 'the signature is')

    const bare = await letterCampaign(env, [ministry], { letter: false })
    const refused = await sign(env, bare.slug, { ...signer, letter: {} })
    t.equal(refused.statusCode, 400)
    t.match(refused.json(), { fields: { 'letter.body': /./ } }, 'names the field')
    const unknown = await sign(env, slug, { ...signer, letter: { subject: 'x' } })
    t.equal(unknown.statusCode, 400, 'an unknown letter field is refused')
    const viaForm = await env.app.inject({
      method: 'POST',
      url: `/campaigns/${bare.slug}/letter/send`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...signer, sign: 'on' }).toString(),
    })
    t.equal(viaForm.statusCode, 400)
    t.match(viaForm.body, /id="body-error"/, 'the form names its body field')
    t.equal(
      (await env.db.selectFrom('signatures').select('id').where('campaign_id', '=', bare.campaignId).execute()).length,
      0,
      'nothing half-written',
    )
  },
)

t.test('the confirm page shows the words a letter sends, and a repeat that changes them is shown again', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  // Someone who knows the address asks for a letter in its name, with words of their own.
  t.equal((await sign(env, slug, { ...signer, letter: { body: 'Words the owner never wrote.' } })).statusCode, 202)
  await outboxSettled(env)
  const path = confirmPath(mailsTo(env, signer.email)[0]!)
  const page = await env.app.inject({ url: path })
  t.match(page.body, /Words the owner never wrote\./, 'the owner sees the words before pressing')
  const shown = /name="shown" value="([^"]+)"/.exec(page.body)![1]!

  // Changed between the page and the press: the button confirms nothing and the page shows it again.
  t.equal((await sign(env, slug, { ...signer, letter: { body: 'Other words, swapped in.' } })).statusCode, 202)
  const pressed = await env.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `shown=${shown}`,
  })
  t.match(pressed.body, /changed after you opened this page/)
  t.match(pressed.body, /Other words, swapped in\./)
  await outboxSettled(env)
  t.equal(lettersTo(env, ministry.email!).length, 0, 'nothing sent on the stale press')
  const status = await env.db.selectFrom('letters').select('status').executeTakeFirstOrThrow()
  t.equal(status.status, 'pending')
})

t.test("a held signature's letter waits for the organizer's accept, then goes", async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  const campaign = await findPublicCampaign(env.db, slug)
  // Past its network's budget: held for review, as the API holds it.
  await signService(
    env.db,
    env.config,
    campaign,
    { ...signer, letter: {} },
    { locale: 'en', ip: '203.0.113.9', held: true },
  )
  await outboxSettled(env)
  await pressSignatureConfirm(env, confirmPath(mailsTo(env, signer.email)[0]!))
  await outboxSettled(env)
  await sleep(300)
  t.equal(lettersTo(env, ministry.email!).length, 0, 'held: no letter yet')
  const row = await env.db.selectFrom('signatures').select(['id', 'held', 'status']).executeTakeFirstOrThrow()
  t.same([row.held, row.status], [true, 'confirmed'])

  const { id: organizer } = await loginAs(env, 'organizer')
  await decideHeld(env.db, env.config, { id: organizer, via: 'console' }, slug, [row.id], 'accept')
  await outboxSettled(env)
  await eventually(async () => lettersTo(env, ministry.email!).length === 1, 10_000, 'the letter after the accept')
  t.pass('accepted: the letter went')
})

t.test('signed already, then signing and writing: the letter asks for its own confirmation', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  t.equal((await sign(env, slug, signer)).statusCode, 202)
  await outboxSettled(env)
  await pressSignatureConfirm(env, confirmPath(mailsTo(env, signer.email)[0]!))

  const again = await sign(env, slug, { ...signer, letter: { city: 'Incheon' } })
  t.equal(again.statusCode, 202, 'the same answer')
  await outboxSettled(env)
  const mails = mailsTo(env, signer.email)
  t.equal(mails.length, 2, 'one more email')
  t.match(mails[1]!.parsed.text, /\/letters\/confirm\//, "the letter's own confirmation, not 'already signed'")
  t.equal(lettersTo(env, ministry.email!).length, 0, 'nothing sent before its button')
  const pressed = await pressConfirm(env, letterConfirmPath(mails[1]!))
  t.equal(pressed.statusCode, 200)
  await outboxSettled(env)
  await eventually(async () => lettersTo(env, ministry.email!).length === 1, 10_000, 'the letter')
  t.match(lettersTo(env, ministry.email!)[0]!.parsed.text, /Incheon/)
})
