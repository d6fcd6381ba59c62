// "Have the platform send it" through the page form, as a browser sends it.
import t from 'tap'
import { setup } from '../helper.ts'
import { letterCampaign, letterConfirmPath, ministry, outboxSettled, supporter } from './helpers.ts'

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
})

t.test('the form sends a confirmation; refused fields come back localised with what was typed', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  const page = await env.app.inject({ url: `/campaigns/${slug}/letter/send?lang=ko` })
  t.equal(page.statusCode, 200)
  t.match(page.body, /편지 보내기/)
  t.match(page.body, /담당자님께/, "the campaign's letter in the reader's language, to edit")

  const refused = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}/letter/send?lang=ko`,
    ...form({ name: '', email: 'nope', country: 'KR', city: 'Seoul', body: 'My own words.' }),
  })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /aria-invalid="true"/)
  t.match(refused.body, /id="email-error"/)
  t.match(refused.body, /My own words\./, 'what was typed stays')

  const sent = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}/letter/send`,
    ...form({ ...supporter, body: letterTextEnBody() }),
  })
  t.equal(sent.statusCode, 303)
  t.equal(sent.headers.location, `/campaigns/${slug}/letter/send/thanks`)
  const [mail] = await env.smtp.waitFor(1)
  const confirm = await env.app.inject({ url: letterConfirmPath(mail!) })
  t.match(confirm.body, /The campaign&#39;s letter|The campaign's letter/, 'an unchanged letter goes in each language')
  await outboxSettled(env)
  const thanks = await env.app.inject({ url: `/campaigns/${slug}/letter/send/thanks` })
  t.match(thanks.body, /Nothing is sent until you do/)
  const campaignPage = await env.app.inject({ url: `/campaigns/${slug}` })
  t.match(campaignPage.body, /Letters sent by the platform for supporters: 0/)
})

function letterTextEnBody() {
  return 'Dear Representative,\r\n\r\nPlease grant them safe passage.'
}
