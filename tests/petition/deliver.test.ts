// Delivering the petition from the console: one email per confirmed click, with the petition as a
// PDF and its public names as a CSV, audited, and shown on the public timeline once sent.
import t from 'tap'
import { extractText, getDocumentProxy } from 'unpdf'
import { loginAs, openQueue, setup } from '../helper.ts'
import { outboxSettled } from '../letters/helpers.ts'
import { ministry, unhcr } from '../letters/fixture.ts'
import { attachment, csvRows, openConfirm, petitionCampaign } from './helpers.ts'

async function pdfText(content: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(content))
  const { text } = await extractText(pdf, { mergePages: true })
  return text
}

t.test('a confirmed click sends the target one email with the petition as PDF and CSV', async (t) => {
  const env = await setup(t)
  const slug = 'deliver-petition'
  const { campaignId, ministryId } = await petitionCampaign(env, slug)
  const { client } = await loginAs(env, 'organizer')

  const list = await client.get(`/admin/campaigns/${slug}/petition`)
  t.equal(list.statusCode, 200)
  t.match(list.body, `/admin/campaigns/${slug}/petition/${ministryId}`)
  t.match(list.body, /UNHCR Representative/, 'a platform-only target is offered')

  const { page, click } = await openConfirm(client, slug, ministryId)
  t.match(page.body, /17 signatures now, 4 public names/, 'the confirm page says what goes')
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 0, 'opening the confirm page sends nothing')

  const sent = await client.post(`/admin/campaigns/${slug}/petition/${ministryId}`, { click })
  t.equal(sent.statusCode, 303)
  const twice = await client.post(`/admin/campaigns/${slug}/petition/${ministryId}`, { click })
  t.equal(twice.statusCode, 303, 'a second submit of the same form answers as the first')

  const [mail] = await env.smtp.waitFor(1)
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 1, 'one email for one click')
  t.same(mail!.envelopeTo, [ministry.email])
  t.match(mail!.parsed.subject, /^请愿：.*（17 人签名）$/, "in the target's language")
  t.match(mail!.parsed.text, /请给予|递交请愿|17/)

  const csv = csvRows(attachment(mail!, 'text/csv').content)
  t.same(csv[0], ['姓名', '国家代码', '国家', '留言', '签名时间（UTC）'])
  const rows = csv.slice(1)
  t.same(
    rows.map((r) => r[0]),
    ['김민지', 'Park Ji-ho', '王小明', '李华'],
    'the public names only, in the order they signed',
  )
  t.equal(rows[1]![3], `'=HYPERLINK("http://evil.example","x")`, 'a formula is neutralised')
  t.equal(rows[2]![3], '请让难民安全离开')
  t.equal(rows[0]![2], '韩国')
  const raw = mail!.raw.toString('utf8')
  for (const hidden of ['Secret Person', 'Hidden Korean', 'Private American', 'a private comment', 'Not Yet']) {
    t.notOk(
      csv.flat().some((c) => c.includes(hidden)),
      `${hidden} is not in the CSV`,
    )
    t.notMatch(raw, hidden, `${hidden} is not in the email`)
  }

  const pdf = attachment(mail!, 'application/pdf').content
  t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  const text = await pdfText(pdf)
  t.match(text, /17 人签名/, 'the count')
  t.match(text, /김민지/, 'a Korean name, in the Korean font')
  t.match(text, /王小明/, 'a Chinese name')
  t.match(text, /韩国: 12/, 'a country with 10 or more')
  t.match(text, /其他国家: 5/, 'the small countries folded into "other"')
  t.notMatch(text, /中国: 3|美国: 2/, 'no small country alone')
  t.notMatch(text, /Secret Person|Hidden Korean/)
  t.match(text, /13 名签名者只计入人数/, 'the unnamed counted')

  const rowsNow = await env.db
    .selectFrom('petition_deliveries')
    .select(['status', 'signature_count', 'sent_at'])
    .where('campaign_id', '=', campaignId)
    .execute()
  t.equal(rowsNow.length, 1, 'one delivery row for two submits')
  t.equal(rowsNow[0]!.status, 'sent')
  t.equal(rowsNow[0]!.signature_count, 17)

  const audit = await env.db
    .selectFrom('audit_log')
    .select(['action', 'object_id', 'detail'])
    .where('action', '=', 'campaign.petition.deliver')
    .execute()
  t.equal(audit.length, 1, 'audited once')
  t.equal(audit[0]!.object_id, campaignId)

  // A retried job for the same outbox row sends nothing more.
  const outboxRow = await env.db
    .selectFrom('outbox')
    .select('id')
    .where('kind', '=', 'petition.deliver')
    .executeTakeFirstOrThrow()
  const mailQueue = openQueue(t, env, 'mail')
  await mailQueue.add('send', { outboxId: outboxRow.id }, { jobId: `retry-${outboxRow.id}` })
  await new Promise((r) => setTimeout(r, 500))
  t.equal(env.smtp.messages.length, 1, 'a retried job sends nothing')

  // The public timeline, in the reader's language; never the target's address.
  const campaignPage = await env.app.inject({ url: `/campaigns/${slug}?lang=en` })
  t.match(campaignPage.body, /Petition delivered/)
  t.match(campaignPage.body, /17 signatures delivered to 外交部长, 中华人民共和国外交部\./)
  t.notMatch(campaignPage.body, ministry.email)
  const ko = await env.app.inject({ url: `/campaigns/${slug}/updates?lang=ko` })
  t.match(ko.body, /청원 전달/)
  t.match(ko.body, /서명 17명을 中华人民共和国外交部 外交部长에게 전달했습니다/)

  const history = await client.get(`/admin/campaigns/${slug}/petition`)
  t.match(history.body, /<td>sent<\/td>/)
})

t.test('a platform-only target gets the petition: the platform delivers it', async (t) => {
  const env = await setup(t)
  const slug = 'deliver-private'
  const { unhcrId } = await petitionCampaign(env, slug)
  const { client } = await loginAs(env, 'organizer')
  const { click } = await openConfirm(client, slug, unhcrId)
  t.equal((await client.post(`/admin/campaigns/${slug}/petition/${unhcrId}`, { click })).statusCode, 303)
  const [mail] = await env.smtp.waitFor(1)
  t.same(mail!.envelopeTo, [unhcr.email])
  t.equal(mail!.parsed.subject, 'Petition: Free the detained refugees (17 signatures)')
  t.equal(mail!.parsed.attachments.length, 2)
  const page = await env.app.inject({ url: `/campaigns/${slug}` })
  t.notMatch(page.body, unhcr.email, "the platform-only target's address stays private")
})

t.test('refused: a forged click key, a target not of the campaign: nothing written', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = 'deliver-refused'
  const { ministryId } = await petitionCampaign(env, slug)
  const { client } = await loginAs(env, 'organizer')
  await openConfirm(client, slug, ministryId)
  const bad = await client.post(`/admin/campaigns/${slug}/petition/${ministryId}?lang=ko`, { click: 'x' })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /role="alert">올바르지 않은 값입니다/, 'the form again, in the reader language')
  t.match(bad.body, /name="click" value="[A-Za-z0-9_-]{22}"/, 'with a fresh key')
  const { click } = await openConfirm(client, slug, ministryId)
  const other = await client.post(`/admin/campaigns/${slug}/petition/999999`, { click })
  t.equal(other.statusCode, 404)
  t.equal((await env.db.selectFrom('petition_deliveries').select('id').execute()).length, 0, 'nothing written')
  t.equal((await env.db.selectFrom('outbox').select('id').where('kind', '=', 'petition.deliver').execute()).length, 0)
})
