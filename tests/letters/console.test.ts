import t from 'tap'
import { loginAs, setup } from '../helper.ts'
import { letter, letterCampaign } from './fixture.ts'

t.test('the console edits the letter per language with a preview; a refused form keeps what was typed', async (t) => {
  const env = await setup(t, { workers: false })
  await letterCampaign(env, 'console-letter')
  const { client } = await loginAs(env, 'organizer')

  const show = await client.get('/admin/campaigns/console-letter?lang=ko')
  t.equal(show.statusCode, 200)
  t.match(show.body, 'href="/admin/campaigns/console-letter/letter/zh"')
  t.match(show.body, /결정권자에게 보내는 편지/)

  const form = await client.get('/admin/campaigns/console-letter/letter/ko')
  t.equal(form.statusCode, 200)
  t.match(form.body, letter.ko.subject.replace('&', '&amp;'), 'the stored letter to edit')
  t.match(form.body, /<textarea id="f-body" name="body" rows="16" lang="ko"/)

  const subject = '새 제목 <b>'
  const preview = await client.post('/admin/campaigns/console-letter/letter/ko', {
    subject,
    body: '새 본문\n둘째 줄',
    intent: 'preview',
  })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /<section class="preview"/)
  t.match(preview.body, '새 제목 &lt;b&gt;', 'escaped')
  t.equal(
    (await env.db.selectFrom('audit_log').select('id').where('action', '=', 'campaign.update').execute()).length,
    0,
  )

  const refused = await client.post('/admin/campaigns/console-letter/letter/ko?lang=zh', { subject, body: '' })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /id="f-body-error"/, 'the field named')
  t.match(refused.body, '새 제목 &lt;b&gt;', 'what was typed stays')
  const tooLong = await client.post('/admin/campaigns/console-letter/letter/ko', { subject, body: 'x'.repeat(5001) })
  t.equal(tooLong.statusCode, 400)
  t.match(tooLong.body, /5,?000/)

  const saved = await client.post('/admin/campaigns/console-letter/letter/ko', { subject, body: '새 본문' })
  t.equal(saved.statusCode, 303)
  const removed = await client.post('/admin/campaigns/console-letter/letter/en', { subject: '', body: '' })
  t.equal(removed.statusCode, 303)
  const rows = await env.db.selectFrom('campaign_letters').select(['locale', 'subject']).orderBy('locale').execute()
  t.same(rows, [
    { locale: 'ko', subject },
    { locale: 'zh', subject: letter.zh.subject },
  ])
  const audit = await env.db
    .selectFrom('audit_log')
    .select(['detail', 'via'])
    .where('action', '=', 'campaign.update')
    .orderBy('id')
    .execute()
  t.same(
    audit.map((a) => [a.via, a.detail]),
    [
      ['console', { slug: 'console-letter', fields: ['letter'], letter: ['ko'] }],
      ['console', { slug: 'console-letter', fields: ['letter'], letter: ['en'] }],
    ],
  )
  const page = await env.app.inject({ url: '/campaigns/console-letter/letter?lang=ko' })
  t.match(page.body, '새 제목 &lt;b&gt;', 'the public letter page shows it at once')
})
