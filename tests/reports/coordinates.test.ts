// A report's point on the map (issue 16): optional, both coordinates or neither, in range, and
// published rounded to 0.1 degree (about 10 km) unless the organizer chose the exact point.
import t from 'tap'
import { roundCoordinate } from '../../src/modules/reports/service.ts'
import { loginAs, organizerAuth, setup } from '../helper.ts'
import { report } from './helpers.ts'

t.test('a point out of range, or half a point, is a 400 naming the field, and nothing is written', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const cases: [string, Record<string, unknown>][] = [
    ['place.latitude', { latitude: 90.01, longitude: 125 }],
    ['place.latitude', { latitude: -91, longitude: 125 }],
    ['place.longitude', { latitude: 43, longitude: 180.5 }],
    ['place.longitude', { latitude: 43, longitude: -181 }],
    ['place.latitude', { latitude: '43.9', longitude: 125 }],
    ['place.longitude', { latitude: 43 }],
    ['place.latitude', { longitude: 125 }],
    ['place.exactPoint', { latitude: 43, longitude: 125, exactPoint: 'yes' }],
  ]
  for (const [field, point] of cases) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers,
      payload: { ...report, place: { ...report.place, ...point } },
    })
    t.equal(res.statusCode, 400, JSON.stringify(point))
    t.same(Object.keys(res.json().fields ?? {}), [field], `${JSON.stringify(point)}: ${field} and only it`)
  }
  const range = await env.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers,
    payload: { ...report, place: { ...report.place, latitude: 95, longitude: 125 } },
  })
  t.match(range.json().fields['place.latitude'], /-90 to 90/, 'the message says the range')
  t.equal((await env.db.selectFrom('reports').select('id').execute()).length, 0)
})

t.test('a point is stored and shown to 0.1 degree unless exact, and the choice is kept', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const post = async (place: Record<string, unknown>) => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers,
      payload: { ...report, place: { ...report.place, ...place } },
    })
    t.equal(res.statusCode, 201, res.body)
    return res.json()
  }
  const rounded = await post({ latitude: 42.9876, longitude: 129.8123 })
  t.match(rounded.place, { latitude: 43, longitude: 129.8, exactPoint: false }, 'the API answers the rounded point')
  const exact = await post({ latitude: 42.9876, longitude: 129.8123, exactPoint: true })
  t.match(exact.place, { latitude: 42.9876, longitude: 129.8123, exactPoint: true })
  const none = await post({})
  t.match(none.place, { latitude: null, longitude: null, exactPoint: false })
  const rows = await env.db
    .selectFrom('reports')
    .select(['id', 'latitude', 'longitude', 'exact_point'])
    .orderBy('id')
    .execute()
  t.same(
    rows.map((r) => [r.latitude, r.longitude, r.exact_point]),
    [
      [43, 129.8, false],
      [42.9876, 129.8123, true],
      [null, null, false],
    ],
    'the database never holds the finer point of a rounded report',
  )

  t.equal(roundCoordinate(-0.04), -0)
  t.equal(roundCoordinate(125.349), 125.3)
  t.equal(roundCoordinate(125.35), 125.4)
  t.equal(roundCoordinate(-33.86), -33.9)
  t.equal(roundCoordinate(125.349, true), 125.349)

  // The database refuses a point off the globe or half a point, whoever writes it.
  await t.rejects(
    env.db.updateTable('reports').set({ latitude: 91 }).where('id', '=', rows[0]!.id).execute(),
    /reports_point_check/,
  )
  await t.rejects(
    env.db.updateTable('reports').set({ longitude: null }).where('id', '=', rows[0]!.id).execute(),
    /reports_point_check/,
  )
})

t.test(
  'the console form takes a point, says what is wrong in the reader’s language, and keeps the choice',
  async (t) => {
    const env = await setup(t, { workers: false })
    const { client } = await loginAs(env, 'organizer')
    const fields = {
      occurredOn: '2021-07-14',
      placeName: 'Tumen',
      province: 'Jilin',
      country: 'CN',
      peopleCount: '325',
      kind: 'detention',
      summary: 'Held in Tumen.',
      sourceName: '',
      sourceUrl: '',
      confidence: 'credible',
      campaign: '',
      locale: 'en',
    }
    const form = await client.get('/admin/reports/new')
    t.match(form.body, /id="f-latitude"/)
    t.match(form.body, /id="f-longitude"/)
    t.match(form.body, /<input type="checkbox" id="f-exactPoint" name="exactPoint">/)

    const bad = await client.post('/admin/reports', { ...fields, latitude: '43.9', longitude: 'east' })
    t.equal(bad.statusCode, 400)
    t.match(bad.body, /id="f-longitude-error">Give a longitude in degrees from -180 to 180/)
    t.notMatch(bad.body, /id="f-latitude-error"/)
    t.match(bad.body, /value="east"/, 'what was typed is kept')
    const half = await client.post('/admin/reports?lang=ko', { ...fields, latitude: '43.9', exactPoint: 'on' })
    t.equal(half.statusCode, 400)
    t.match(half.body, /id="f-longitude-error">위도와 경도를 모두 쓰거나 모두 비워 두세요/, 'in Korean')
    t.match(half.body, /id="f-exactPoint" name="exactPoint" checked>/, 'the box stays ticked')
    const far = await client.post('/admin/reports?lang=zh', { ...fields, latitude: '143', longitude: '125' })
    t.match(far.body, /id="f-latitude-error">请填写 -90 到 90 之间的纬度/, 'in Chinese')
    t.equal((await env.db.selectFrom('reports').select('id').execute()).length, 0, 'nothing was written')

    const made = await client.post('/admin/reports?lang=en', { ...fields, latitude: '42,9876', longitude: '129.8123' })
    t.equal(made.statusCode, 303, 'a decimal comma is read as a point')
    const exact = await client.post('/admin/reports', {
      ...fields,
      latitude: '42.9876',
      longitude: '129.8123',
      exactPoint: 'on',
    })
    t.equal(exact.statusCode, 303)
    const rows = await env.db
      .selectFrom('reports')
      .select(['latitude', 'longitude', 'exact_point'])
      .orderBy('id')
      .execute()
    t.same(rows, [
      { latitude: 43, longitude: 129.8, exact_point: false },
      { latitude: 42.9876, longitude: 129.8123, exact_point: true },
    ])
    const shown = await client.get(made.headers.location as string)
    t.match(shown.body, /43, 129\.8 \(rounded to about 10 km\)/, 'the console shows the point as published')
    t.match((await client.get(exact.headers.location as string)).body, /42\.9876, 129\.8123 \(exact point\)/)
  },
)
