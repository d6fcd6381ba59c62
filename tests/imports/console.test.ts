import { randomBytes } from 'node:crypto'
import t from 'tap'
import { eventually, loginAs, setup, sleep, type TestEnv } from '../helper.ts'
import { mailsTo } from '../alerts/helpers.ts'

type Client = Awaited<ReturnType<typeof loginAs>>['client']

/** A multipart form as a browser sends it: the fields in order, the file last. */
function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer }) {
  const boundary = `----ua${randomBytes(8).toString('hex')}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    )
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` }
}

async function upload(
  env: TestEnv,
  client: Client,
  file: { name: string; content: string | Buffer } | undefined,
  options: { lang?: string; csrf?: boolean; locale?: string } = {},
) {
  const { body, type } = multipart(
    { ...(options.csrf === false ? {} : { _csrf: client.csrf }), locale: options.locale ?? 'en' },
    file,
  )
  // The console speaks its account's language; ?lang= switches one page (a cookie no longer does).
  const cookie = client.cookieHeader()
  return env.app.inject({
    method: 'POST',
    url: `/admin/subscribers/import${options.lang ? `?lang=${options.lang}` : ''}`,
    headers: { cookie, 'content-type': type },
    payload: body,
  })
}

const importPage = async (client: Client, location: string) => (await client.get(location)).body

t.test('an admin uploads a list: the progress page, then the summary; one confirmation per new address', async (t) => {
  const env = await setup(t)
  const { client } = await loginAs(env, 'admin')
  const form = await client.get('/admin/subscribers/import')
  t.equal(form.statusCode, 200)
  t.match(form.body, /enctype="multipart\/form-data"/)
  t.ok(
    form.body.indexOf('name="_csrf"') < form.body.indexOf('type="file"'),
    'the token comes before the file in the form',
  )

  const csv =
    '\uFEFFemail,locale\r\nann@example.org,ko\r\nnot-an-address,en\r\nANN@example.org,en\r\nbo@example.org\r\n'
  const res = await upload(env, client, { name: 'supporters.csv', content: csv }, { locale: 'zh' })
  t.equal(res.statusCode, 303, res.body)
  const location = res.headers.location as string
  t.match(location, /^\/admin\/subscribers\/imports\/\d+$/)
  const done = await eventually(async () => {
    const body = await importPage(client, location)
    return /id="import-status" data-status="done">Done</.test(body) && body
  })
  t.notMatch(done, /http-equiv="refresh"/, 'a finished import does not refresh')
  t.match(done, /<dt>Imported \(each sent a confirmation email\)<\/dt><dd>2<\/dd>/)
  t.match(done, /<dt>Repeated in the file \(counted once\)<\/dt><dd>1<\/dd>/)
  t.match(done, /<dt>Invalid rows<\/dt><dd>1<\/dd>/)
  t.match(done, /Line 3: not an email address/)
  t.notMatch(done, /ann@example\.org/i, 'no address on the page')

  await eventually(
    async () => mailsTo(env, 'bo@example.org').length === 1 && mailsTo(env, 'ann@example.org').length === 1,
  )
  await sleep(500)
  t.equal(env.smtp.messages.length, 2, 'one email per new address')
  t.match(
    mailsTo(env, 'bo@example.org')[0]!.parsed.subject,
    /[\u4e00-\u9fff]/,
    'the language chosen for rows without one',
  )
  const statuses = await env.db.selectFrom('subscribers').select('status').execute()
  t.same(
    statuses.map((s) => s.status),
    ['pending', 'pending'],
  )
  const audit = await env.db
    .selectFrom('audit_log')
    .select(['via', 'object_id', 'detail'])
    .where('action', '=', 'subscribers.import')
    .execute()
  t.match(audit, [{ via: 'console', object_id: location.split('/').pop(), detail: { imported: 2, invalid: 1 } }])
  const list = await client.get('/admin/subscribers/import')
  t.match(list.body, /supporters\.csv/)
})

t.test('a running import shows its progress, and refreshes itself when asked', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'admin')
  const { id } = await env.db
    .insertInto('subscriber_imports')
    .values({ filename: 'big.csv', bytes_total: 1000, bytes_read: 250, lines: 40 })
    .returning('id')
    .executeTakeFirstOrThrow()
  const page = await client.get(`/admin/subscribers/imports/${id}`)
  t.notMatch(page.body, /http-equiv="refresh"/, 'no reload unasked (WCAG 2.2.1)')
  t.match(page.body, /<progress max="100" value="25">/)
  t.match(page.body, /25% read, 40 lines so far\./)
  t.match(page.body, new RegExp(`href="/admin/subscribers/imports/${id}" class="button secondary">Refresh<`))
  t.match(page.body, new RegExp(`href="/admin/subscribers/imports/${id}\\?auto">Refresh every 5 seconds<`))
  const auto = await client.get(`/admin/subscribers/imports/${id}?auto`)
  t.match(auto.body, /<meta http-equiv="refresh" content="5">/, 'asked: it refreshes itself')
  t.match(auto.body, new RegExp(`href="/admin/subscribers/imports/${id}">Stop refreshing<`))
  await env.db
    .updateTable('subscriber_imports')
    .set({ updated_at: new Date(Date.now() - 3_600_000) })
    .execute()
  t.match((await client.get(`/admin/subscribers/imports/${id}`)).body, /Interrupted: upload the same file again/)
  t.equal((await client.get('/admin/subscribers/imports/999999')).statusCode, 404)
})

t.test('refused uploads say why in the reader’s language, and write nothing', async (t) => {
  const env = await setup(t, { workers: false, env: { IMPORT_MAX_MB: '1' } })
  const { client } = await loginAs(env, 'admin')
  await client.get('/admin/subscribers/import')
  const big = 'email\n' + 'someone@example.org\n'.repeat(60_000)
  const said = {
    en: {
      none: /Choose a CSV file to upload\./,
      large: /The file is larger than 1 MB\./,
      column: /No column holds email addresses/,
    },
    ko: {
      none: /올릴 CSV 파일을 선택하세요\./,
      large: /파일이 1MB보다 큽니다\./,
      column: /이메일 주소가 담긴 열이 없습니다/,
    },
    zh: { none: /请选择要上传的 CSV 文件。/, large: /文件大于 1 MB。/, column: /没有包含电子邮件地址的列/ },
  }
  for (const [lang, messages] of Object.entries(said)) {
    const none = await upload(env, client, { name: '', content: '' }, { lang })
    t.equal(none.statusCode, 400, `${lang}: no file`)
    t.match(none.body, messages.none)
    t.match(none.body, /aria-invalid="true"/)
    const large = await upload(env, client, { name: 'big.csv', content: big }, { lang })
    t.equal(large.statusCode, 400, `${lang}: too large`)
    t.match(large.body, messages.large)

    const noColumn = await upload(env, client, { name: 'phones.csv', content: 'name,phone\nKim,010\n' }, { lang })
    t.equal(noColumn.statusCode, 303)
    const page = await eventually(async () => {
      const res = await env.app.inject({
        url: `${noColumn.headers.location as string}${(noColumn.headers.location as string).includes('?') ? '&' : '?'}lang=${lang}`,
        headers: { cookie: client.cookieHeader() },
      })
      return !/data-status="running"/.test(res.body) && res.body
    })
    t.match(page, messages.column, `${lang}: the file's fault, said on its page`)
  }
  t.equal((await env.db.selectFrom('subscribers').select('id').execute()).length, 0)
  t.equal(
    (await env.db.selectFrom('subscriber_imports').select('status').where('status', '=', 'failed').execute()).length,
    3,
  )

  const forged = await upload(env, client, { name: 'a.csv', content: 'email\nx@example.org\n' }, { csrf: false })
  t.equal(forged.statusCode, 403, 'no CSRF token, no import')
  const organizer = (await loginAs(env, 'organizer')).client
  await organizer.get('/admin/campaigns')
  const notAdmin = await upload(env, organizer, { name: 'a.csv', content: 'email\nx@example.org\n' })
  t.equal(notAdmin.statusCode, 403, 'admins only')
  const importsBefore = (await env.db.selectFrom('subscriber_imports').select('id').execute()).length
  const anonymous = await env.app.inject({
    method: 'POST',
    url: '/admin/subscribers/import',
    headers: { 'content-type': multipart({}, { name: 'a.csv', content: 'email\n' }).type },
    payload: multipart({}, { name: 'a.csv', content: 'email\n' }).body,
  })
  t.equal(anonymous.statusCode, 303, 'no session: to the login page')
  t.match(anonymous.headers.location, /^\/admin\/login/)
  t.equal((await env.db.selectFrom('subscriber_imports').select('id').execute()).length, importsBefore, 'and no import')
  const garbled = await env.app.inject({
    method: 'POST',
    url: '/admin/subscribers/import',
    headers: { cookie: client.cookieHeader(), 'content-type': 'multipart/form-data; boundary=nope' },
    payload: 'this is not multipart at all',
  })
  t.equal(garbled.statusCode, 403, 'a body that is not multipart after all: no token read, no import')
  // A file whose body breaks off before its closing boundary.
  const whole = multipart({ _csrf: client.csrf, locale: 'en' }, { name: 'cut.csv', content: 'email\nx@example.org\n' })
  const cut = await env.app.inject({
    method: 'POST',
    url: '/admin/subscribers/import',
    headers: { cookie: client.cookieHeader(), 'content-type': whole.type },
    payload: whole.body.subarray(0, whole.body.length - 30),
  })
  t.equal(cut.statusCode, 400, 'an upload cut off')
  t.match(cut.body, /The upload was cut off or could not be read/)
  t.equal((await env.db.selectFrom('subscribers').select('id').execute()).length, 0, 'nothing imported by those')
})
