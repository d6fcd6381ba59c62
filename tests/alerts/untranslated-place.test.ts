// A report published without a translation for a subscriber's language still reads well (issue
// 18 point 6): its place is put as the tracker puts it ("Tumen crossing（吉林省）"), the name left as
// written marked by its lang, never glued to the province ("吉林Tumen crossing"); Korean emails
// break between words and Chinese titles balance their lines.
import t from 'tap'
import { setup } from '../helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish, settled } from './helpers.ts'

t.test('an untranslated place in zh, ko and en alert emails', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'zh@example.org', { locale: 'zh' })
  await activeSubscriber(env, 'ko@example.org', { locale: 'ko' })
  await activeSubscriber(env, 'en@example.org', { locale: 'en' })
  const { alertId, headers } = await publish(env, {
    ...jilinReport,
    peopleCount: 3,
    place: { name: 'Tumen crossing', province: 'Jilin', country: 'CN' },
  })
  t.match(await settled(env, alertId, headers), { sent: 3 })

  const zh = mailsTo(env, 'zh@example.org').at(-1)!
  t.equal(zh.parsed.subject, '拘押：Tumen crossing（吉林省），3 人', 'the tracker fallback, not glued')
  t.notMatch(zh.parsed.subject, /吉林Tumen/)
  t.match(zh.parsed.html, '<span lang="en">Tumen crossing</span>（吉林省）', 'the name as written marked by its lang')
  t.match(zh.parsed.text, /Tumen crossing（吉林省）/)
  t.match(zh.parsed.html, /font-weight:bold;text-wrap:balance;/, 'the report line balances in Chinese')
  t.notMatch(zh.parsed.html, /keep-all/, 'Chinese may break between any two characters')

  const ko = mailsTo(env, 'ko@example.org').at(-1)!
  t.equal(ko.parsed.subject, '구금: 지린성 Tumen crossing, 3명')
  t.match(ko.parsed.html, '지린성 <span lang="en">Tumen crossing</span>')
  t.match(ko.parsed.html, /word-break:keep-all;/, 'Korean breaks between words')

  const en = mailsTo(env, 'en@example.org').at(-1)!
  t.equal(en.parsed.subject, 'Detention: 3 people in Tumen crossing, Jilin')
  t.match(en.parsed.html, '&middot; Tumen crossing, Jilin</p>', 'in its own language: nothing to mark')
  t.notMatch(en.parsed.html, /<span lang=/)
})
