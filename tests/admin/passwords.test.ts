// New console passwords: none found in breaches (checked offline against a Bloom filter), none
// made of the person's name or address or of the organisation's name; the same rules wherever a
// password is set.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { FALSE_POSITIVE_RATE, isBreached } from '../../src/modules/accounts/breached.ts'
import { passwordProblem } from '../../src/modules/accounts/passwords.ts'
import { organisationNames } from '../../src/modules/accounts/service.ts'
import { parseConfig } from '../../src/config.ts'
import { ConsoleClient, loginAs, setup } from '../helper.ts'

const hana = {
  email: 'hana.kim@example.org',
  name: 'Hana Kim',
  organisation: organisationNames(parseConfig({ MAIL_FROM: 'Seoul Rescue Network <alerts@srn.example>' })),
}

t.test('passwords from breach lists are refused, whatever their case', async (t) => {
  for (const password of ['password123', 'Password123', 'qwerty123', 'iloveyou', '1q2w3e4r', 'sunshine1', 'trustno1'])
    t.equal(passwordProblem(password, hana), 'console.password.common', password)
})

t.test('a random strong password is accepted', async (t) => {
  for (let i = 0; i < 20; i++) {
    const password = randomBytes(15).toString('base64url')
    t.equal(passwordProblem(password, hana), undefined, password)
  }
  t.equal(passwordProblem('correct horse battery staple', hana), undefined)
})

t.test("the person's name and address and the organisation's names are refused, alone or inside", async (t) => {
  const personal = [
    'hana.kim@example.org',
    'HanaKim-is-my-name',
    'my name is hana kim',
    'hana.kim likes long walks',
    'Seoul Rescue Network!',
    'seoulrescue-forever',
    'urgent action 4ever',
    'rescue+network+2026',
  ]
  for (const password of personal) t.equal(passwordProblem(password, hana), 'console.password.personal', password)
  const korean = { email: 'minji@example.org', name: '김민지', organisation: [] }
  t.equal(passwordProblem('김민지의 아주 긴 비밀 문장', korean), 'console.password.personal', 'a Korean name')
  const chinese = { email: 'ming@example.org', name: '李 明', organisation: [] }
  t.equal(passwordProblem('李明的密码长又安全啊', chinese), 'console.password.personal', 'a Chinese name')
  t.equal(passwordProblem('a kimchi loving phrase', hana), undefined, 'a short name part alone is not refused')
})

t.test("the filter's false-positive rate on random strings stays near its design value", async (t) => {
  const n = 200_000
  let positives = 0
  for (let i = 0; i < n; i++) if (isBreached(randomBytes(12).toString('base64url'))) positives++
  const rate = positives / n
  t.comment(`measured ${rate} against ${FALSE_POSITIVE_RATE}`)
  // 200 expected; the bounds are about seven standard deviations away.
  t.ok(rate > FALSE_POSITIVE_RATE / 2 && rate < FALSE_POSITIVE_RATE * 1.8, `rate ${rate}`)
})

t.test('changing a password refuses a breached one and a personal one, naming the field', async (t) => {
  const env = await setup(t, { workers: false })
  const me = await loginAs(env, 'organizer', 'jiwoo.park@example.org')
  await me.client.get('/admin/account')
  for (const password of ['password123', 'Test organizer rules', 'jiwoo.park long phrase']) {
    const res = await me.client.post('/admin/account/password', {
      current: me.password,
      password,
      confirmation: password,
    })
    t.equal(res.statusCode, 400, password)
    t.match(res.body, /id="f-password-error"/, `${password}: the error is at the field`)
    t.match(res.body, /href="#f-password"[^>]*>[^<]*New password[^<]*:/, `${password}: the summary names it`)
  }
  const changed = await me.client.post('/admin/account/password', {
    current: me.password,
    password: 'a fine long phrase of mine',
    confirmation: 'a fine long phrase of mine',
  })
  t.equal(changed.statusCode, 303)
})

t.test("an invitation refuses a breached or personal password, in the reader's language", async (t) => {
  const env = await setup(t)
  const admin = await loginAs(env, 'admin')
  await admin.client.get('/admin/organizers/new')
  const invited = await admin.client.post('/admin/organizers', {
    email: 'seo.yeon@example.org',
    name: '한서연',
    role: 'organizer',
  })
  t.equal(invited.statusCode, 303)
  const [mail] = await env.smtp.waitFor(1)
  const link = /https?:\/\/[^/\s]+(\/admin\/invite\/[A-Za-z0-9_.-]+)/.exec(mail!.parsed.text ?? '')![1]!
  const invitee = new ConsoleClient(env)
  await invitee.get(`${link}?lang=ko`)
  const breached = await invitee.post(link, { password: 'password123', confirmation: 'password123' })
  t.equal(breached.statusCode, 400)
  t.match(breached.body, /유출된 비밀번호 목록에 있습니다/)
  t.match(breached.body, /href="#f-password">새 비밀번호: /, 'the summary names the field')
  const named = await invitee.post(link, { password: '한서연의 새 비밀 문장', confirmation: '한서연의 새 비밀 문장' })
  t.equal(named.statusCode, 400)
  t.match(named.body, /비밀번호에 이름, 이메일 주소, 단체 이름을 쓰지 마세요/)
  const email = await invitee.post(link, { password: 'seo.yeon is here', confirmation: 'seo.yeon is here' })
  t.equal(email.statusCode, 400)
  const ok = await invitee.post(link, {
    password: 'a fine long phrase of mine',
    confirmation: 'a fine long phrase of mine',
  })
  t.equal(ok.statusCode, 303)
})
