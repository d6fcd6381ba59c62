// Every link in every email opens in the recipient's language, whatever the device's cookie or
// Accept-Language say: signature confirm and already-signed, subscription confirm and
// already-subscribed, an alert (with its unsubscribe and preferences links), a digest, an erasure
// link, a letter's confirmation and a campaign update.
import t, { type Test } from 'tap'
import { eventually, liveCampaign, openQueue, setup, type ReceivedMail, type TestEnv } from '../helper.ts'
import { activeSubscriber, publish } from '../alerts/helpers.ts'
import { requestErasure } from '../erasure/helpers.ts'
import { letterCampaign, ministry, supporter, write } from '../letters/helpers.ts'
import { confirmedSigner, postUpdate } from '../updates/helpers.ts'
import { settled } from '../alerts/helpers.ts'
import { runDigest } from '../../src/modules/digests/service.ts'

const TAGS = { en: 'en', ko: 'ko', zh: 'zh-Hans' } as const

const env = await setup(t)
const slug = await liveCampaign(env)

function newestTo(env: TestEnv, to: string, count: number): Promise<ReceivedMail> {
  return eventually(
    async () => {
      const mails = env.smtp.messages.filter((m) => m.envelopeTo.includes(to))
      return mails.length >= count ? mails.at(-1) : undefined
    },
    20_000,
    `email ${count} to ${to}`,
  )
}

/** Each of our links in the email carries the recipient's language and opens in it on an English device. */
async function expectLinksIn(t: Test, mail: ReceivedMail, locale: 'ko' | 'zh', kind: string) {
  const links = [...(mail.parsed.text ?? '').matchAll(/http:\/\/ua\.test[^\s<>")]*/g)].map((m) => m[0])
  const hrefs = [...String(mail.parsed.html).matchAll(/href="(http:\/\/ua\.test[^"]*)"/g)].map((m) =>
    m[1]!.replaceAll('&amp;', '&'),
  )
  t.ok(links.length > 0, `${kind}: has links`)
  for (const link of new Set([...links, ...hrefs])) {
    const url = new URL(link)
    t.equal(
      url.searchParams.get('lang'),
      locale,
      `${kind}: ${url.pathname.replace(/[A-Za-z0-9_-]{20,}.*/, '…')} says ${locale}`,
    )
    const page = await env.app.inject({
      url: url.pathname + url.search,
      headers: { cookie: 'lang=en', 'accept-language': 'en-US,en;q=0.9' },
    })
    if (String(page.headers['content-type']).startsWith('text/html')) {
      t.match(page.body, `<html lang="${TAGS[locale]}">`, `${kind}: opens in ${locale} on an English device`)
    }
  }
}

t.test('signature emails link in the signer’s language', async (t) => {
  const signer = { name: '김민지', email: 'minji@example.org', country: 'KR' }
  const signed = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: signer,
    headers: { 'accept-language': 'ko' },
  })
  t.equal(signed.statusCode, 202)
  const confirm = await newestTo(env, signer.email, 1)
  await expectLinksIn(t, confirm, 'ko', 'signature confirm')
  const path = /http:\/\/ua\.test(\/confirm\/[^\s]+)/.exec(confirm.parsed.text ?? '')![1]!
  const done = await env.app.inject({ method: 'POST', url: path, headers: { cookie: 'lang=en' } })
  t.match(done.body, '<html lang="ko">', 'confirming from an English device answers in Korean')

  await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: signer,
    headers: { 'accept-language': 'ko' },
  })
  await expectLinksIn(t, await newestTo(env, signer.email, 2), 'ko', 'already signed')

  const erase = await requestErasure(env, signer.email)
  t.equal(erase.statusCode, 200)
  await expectLinksIn(t, await newestTo(env, signer.email, 3), 'ko', 'erasure link')
})

t.test('subscription and alert emails link in the subscriber’s language', async (t) => {
  const email = 'wei@example.org'
  await activeSubscriber(env, email, { locale: 'zh' })
  const confirmMail = env.smtp.messages.filter((m) => m.envelopeTo.includes(email))[0]!
  await expectLinksIn(t, confirmMail, 'zh', 'subscription confirm')
  await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email, locale: 'zh' } })
  await expectLinksIn(t, await newestTo(env, email, 2), 'zh', 'already subscribed')
  await publish(env)
  await expectLinksIn(t, await newestTo(env, email, 3), 'zh', 'alert')

  // A daily reader's digest, in Korean.
  const daily = 'daily-ko@example.org'
  await activeSubscriber(env, daily, { locale: 'ko', frequency: 'daily' })
  await publish(env)
  t.equal(await runDigest(env.db, openQueue(t, env, 'deliveries'), '2026-01-01', new Date()), 1)
  await expectLinksIn(t, await newestTo(env, daily, 2), 'ko', 'digest')
})

t.test('letter and campaign update emails link in the supporter’s language', async (t) => {
  const { slug: letters } = await letterCampaign(env, [ministry])
  const writer = 'writer@example.org'
  t.equal((await write(env, letters, { ...supporter, email: writer }, { 'accept-language': 'zh' })).statusCode, 202)
  await expectLinksIn(t, await newestTo(env, writer, 1), 'zh', 'letter confirm')

  const news = await liveCampaign(env)
  const reader = 'reader-ko@example.org'
  await confirmedSigner(env, news, reader, { lang: 'ko' })
  const posted = await postUpdate(env, news, { kind: 'update', title: 'News', body: 'Moved.', notify: true })
  t.equal(posted.status, 202)
  await settled(env, posted.json.alert.id, posted.headers)
  await expectLinksIn(t, await newestTo(env, reader, 2), 'ko', 'campaign update')
})
