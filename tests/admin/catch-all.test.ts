// A domain that accepts any address, used from one network to sign many times within an hour,
// is flagged in the console for that campaign; nothing is blocked.
import { sql } from 'kysely'
import t from 'tap'
import { liveCampaign, loginAs, setup, type TestEnv } from '../helper.ts'

async function signFrom(env: TestEnv, slug: string, email: string, ip: string) {
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { name: 'Signer', email, country: 'KR' },
    remoteAddress: ip,
  })
  if (res.statusCode !== 202) throw new Error(`sign failed: ${res.statusCode} ${res.body}`)
}

const section = (html: string) => /<section[^>]*id="catch-all"[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''

t.test('12 signatures from one network at catch-all.example are flagged in the console, not blocked', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  // The flood: 12 local parts at one domain from one network (an IPv6 client rotating in its /64).
  for (let i = 0; i < 12; i++) await signFrom(env, slug, `fake${i}@catch-all.example`, `2001:db8:1:2::${i + 1}`)
  // Not flagged: as many at a big provider from as many networks, and 9 from one network.
  for (let i = 0; i < 12; i++) await signFrom(env, slug, `person${i}@mail.example`, `198.51.100.${i + 1}`)
  for (let i = 0; i < 9; i++) await signFrom(env, slug, `few${i}@nine.example`, '203.0.113.9')
  // Ten from one network spread over a day: not within an hour.
  for (let i = 0; i < 10; i++) await signFrom(env, slug, `slow${i}@slow.example`, '203.0.113.10')
  await sql`update signatures set created_at = now() - make_interval(hours => id::int % 10 * 2)
    where email like '%@slow.example'`.execute(env.db)

  const stored = await env.db.selectFrom('signatures').select('email').execute()
  t.equal(stored.length, 12 + 12 + 9 + 10, 'every signature was accepted: nothing is blocked')

  const { client } = await loginAs(env, 'organizer')
  const res = await client.get(`/admin/campaigns/${slug}`)
  t.equal(res.statusCode, 200)
  const flagged = section(res.body)
  t.match(flagged, /catch-all\.example/)
  t.match(flagged, /<td class="num">12<\/td>/)
  t.notMatch(flagged, /mail\.example|nine\.example|slow\.example/)
  t.notMatch(flagged, /fake\d/, 'no address, not even a local part')

  // The link opens bulk invalidation for that domain from that network: a preview of the 12.
  const link = /href="(\/admin\/campaigns\/[^"]+\/invalidations\/new\?[^"]+)"/.exec(flagged)?.[1]
  t.ok(link, 'a link to bulk invalidation')
  const preview = await client.get(link!.replaceAll('&amp;', '&'))
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /value="catch-all\.example"/)
  t.match(preview.body, /name="expected" value="12"/)

  // Once invalidated, the flag goes.
  const expected = /name="expected" value="(\d+)"/.exec(preview.body)![1]!
  const upTo = /name="upTo" value="(\d+)"/.exec(preview.body)![1]!
  const sameIpAs = /name="sameIpAs" value="(\d+)"/.exec(preview.body)![1]!
  const done = await client.post(`/admin/campaigns/${slug}/invalidations`, {
    emailDomain: 'catch-all.example',
    sameIpAs,
    expected,
    upTo,
    confirm: '1',
  })
  t.equal(done.statusCode, 303)
  t.notMatch(section((await client.get(`/admin/campaigns/${slug}`)).body), /catch-all\.example/)
})
