// A province topic matches a report by the province's known names in every language, not only by
// the names the report was written or translated with (src/place-names.ts).
import t from 'tap'
import { provinceMatchKeys } from '../../src/modules/provinces.ts'
import { setup } from '../helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish, settled } from './helpers.ts'

t.test('the keys of a report hold its province under every known name', async (t) => {
  const keys = provinceMatchKeys({ province: '吉林省', country: 'CN', translations: {} })
  for (const name of ['吉林省', 'jilin', '지린성', '吉林']) t.ok(keys.includes(name), name)
  t.notOk(keys.includes('liaoning'))
  t.same(provinceMatchKeys({ province: 'Nowhere Land', country: 'CN', translations: {} }), ['nowhere land'])
  t.ok(provinceMatchKeys({ province: 'Yanggang', country: 'KP', translations: {} }).includes('량강도'), 'spellings too')
})

t.test('following "Jilin" brings a report written 吉林省 that nobody translated; "Liaoning" does not', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'jilin@example.org', { topics: { provinces: ['Jilin'] } })
  await activeSubscriber(env, 'korean@example.org', { topics: { provinces: ['지린성'] } })
  await activeSubscriber(env, 'suffixed@example.org', { topics: { provinces: ['Jilin Province'] } })
  await activeSubscriber(env, 'liaoning@example.org', { topics: { provinces: ['Liaoning'] } })
  const { alertId, headers } = await publish(env, {
    ...jilinReport,
    locale: 'zh',
    place: { name: '长白县', province: '吉林省', country: 'CN' },
  })
  t.match(await settled(env, alertId, headers), { recipients: 3, sent: 3 })
  t.equal(mailsTo(env, 'suffixed@example.org').length, 2, '"Jilin Province" is stored as the province it names')
  t.equal(mailsTo(env, 'jilin@example.org').length, 2, 'the confirmation, then the alert')
  t.equal(mailsTo(env, 'korean@example.org').length, 2)
  t.equal(mailsTo(env, 'liaoning@example.org').length, 1, 'only the confirmation')
})
