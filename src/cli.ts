// The operator CLI: `npm run cli -- <command> [--flag value]`.
import { parseArgs } from 'node:util'
import { loadConfig, type Config } from './config.ts'
import { exportSignatures, exportSubscribers, importFile, summaryLines, topicsOf } from './cli-csv.ts'
import { createDb, isDatabaseUnreachable } from './db/index.ts'
import { AppError } from './errors.ts'
import { translator } from './i18n/index.ts'
import { toLocale } from './locale.ts'
import { sayError } from './present/errors.ts'
import { systemActor } from './modules/audit/service.ts'
import { loadDemo } from './modules/demo/service.ts'
import { createApiToken, createOrganizer, TOKEN_MAX_DAYS } from './modules/organizers/service.ts'
import { unsubscribeByMail } from './modules/subscribers/service.ts'
import { prepareDatabase } from './runtime.ts'

const usage = `usage: npm run cli -- <command>
  migrate                                              apply pending migrations
  organizer:create --email E --name N --role admin|organizer   prints a one-time password
  token:create --email E [--scope read|write] [--expires DAYS]
                                                       prints a new API token (shown once); write and no expiry
                                                       unless told; a read token is refused every change
  demo:load                                            loads the demo campaign and its reports (idempotent)
  mail:unsubscribe < message                           applies a List-Unsubscribe mailto: message read on stdin
                                                       (exit 0 done; 65 no valid token, which a mail server
                                                       bounces; 75 try again later)
  subscribers:import FILE.csv [--topic SLUG|province:NAME ...] [--locale en|ko|zh]
                                                       each new address is sent a confirmation (pending until
                                                       confirmed); known addresses are left alone; prints a
                                                       summary with invalid rows by line number
  subscribers:export [--status active|pending|unsubscribed|all] [--out FILE]
                                                       audited; CSV to FILE or stdout (active unless told)
  signatures:export --campaign SLUG [--out FILE]       audited; the confirmed signatures as the console's CSV`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string' },
      expires: { type: 'string' },
      topic: { type: 'string', multiple: true },
      locale: { type: 'string' },
      out: { type: 'string' },
      campaign: { type: 'string' },
      status: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  })
  const known = [
    'migrate',
    'organizer:create',
    'token:create',
    'demo:load',
    'mail:unsubscribe',
    'subscribers:import',
    'subscribers:export',
    'signatures:export',
  ]
  if (!command || !known.includes(command)) {
    console.error(usage)
    return 2
  }
  const need = (flag: 'email' | 'name' | 'role') => {
    const v = values[flag]?.trim()
    if (!v) throw new UsageError(`--${flag} is required`)
    return v
  }
  const email = command === 'organizer:create' || command === 'token:create' ? need('email') : ''
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError('--email is not an email address')
  const role = command === 'organizer:create' ? need('role') : ''
  if (role && role !== 'admin' && role !== 'organizer') throw new UsageError('--role must be admin or organizer')
  const name = command === 'organizer:create' ? need('name') : ''
  const scope = values.scope ?? 'write'
  if (scope !== 'read' && scope !== 'write') throw new UsageError('--scope must be read or write')
  const expires = values.expires === undefined ? undefined : Number(values.expires)
  if (expires !== undefined && !(Number.isInteger(expires) && expires >= 1 && expires <= TOKEN_MAX_DAYS))
    throw new UsageError(`--expires must be a whole number of days from 1 to ${TOKEN_MAX_DAYS}`)

  const file = command === 'subscribers:import' ? positionals[0] : undefined
  if (command === 'subscribers:import' && (!file || positionals.length > 1))
    throw new UsageError('subscribers:import takes one FILE.csv')
  if (command !== 'subscribers:import' && positionals.length) throw new UsageError(`unexpected ${positionals[0]}`)
  const locale = values.locale === undefined ? 'en' : toLocale(values.locale)
  if (!locale || (values.locale !== undefined && values.locale.trim().toLowerCase() !== locale))
    throw new UsageError('--locale must be en, ko or zh')
  const statusFlag = values.status ?? 'active'
  if (!['active', 'pending', 'unsubscribed', 'all'].includes(statusFlag))
    throw new UsageError('--status must be active, pending, unsubscribed or all')
  const statuses = statusFlag === 'all' ? (['active', 'pending', 'unsubscribed'] as const) : [statusFlag as 'active']
  const campaign = command === 'signatures:export' ? values.campaign?.trim() : undefined
  if (command === 'signatures:export' && !campaign) throw new UsageError('--campaign is required')

  const config = loadConfig()
  if (command === 'mail:unsubscribe') return unsubscribeFromStdin(config)
  const db = await prepareDatabase(config)
  try {
    switch (command) {
      case 'migrate':
        console.log('migrations applied')
        break
      case 'organizer:create': {
        const { password } = await createOrganizer(db, systemActor('cli'), {
          email,
          name,
          role: role as 'admin' | 'organizer',
        })
        console.log(
          `organizer ${email} created (${role}). One-time password, shown once (the first login asks for a new one):\n${password}`,
        )
        break
      }
      case 'token:create':
        console.log(await createApiToken(db, systemActor('cli'), email, { scope, expiresInDays: expires }))
        break
      case 'demo:load': {
        const { created, slug, reportsAdded, targetsAdded } = await loadDemo(db)
        console.log(
          created ? `demo campaign loaded: /campaigns/${slug}` : `demo campaign already there: /campaigns/${slug}`,
        )
        console.log(
          reportsAdded
            ? `demo reports added: ${reportsAdded}, published without alerts: /reports`
            : 'demo reports already there: /reports',
        )
        console.log(targetsAdded ? `demo targets added: ${targetsAdded}` : 'demo targets already there')
        break
      }
      case 'subscribers:import': {
        const summary = await importFile(db, config, file!, {
          topics: topicsOf(values.topic ?? []),
          locale,
          tty: process.stderr.isTTY,
        })
        for (const line of summaryLines(summary)) console.log(line)
        break
      }
      case 'subscribers:export': {
        const rows = await exportSubscribers(db, statuses, values.out)
        console.error(`subscribers exported: ${rows}`)
        break
      }
      case 'signatures:export':
        await exportSignatures(db, campaign!, values.out)
        break
    }
    return 0
  } finally {
    await db.destroy()
  }
}

class UsageError extends Error {}

// sysexits.h, as a mail server's pipe reads them: bounce the message, or keep it and try again.
const EX_DATAERR = 65
const EX_TEMPFAIL = 75

/**
 * mail:unsubscribe, run by a mail server for each message: it does not migrate (a pipe must not
 * wait on a schema change), and any failure of ours (the database away) asks the mail server to
 * keep the message and try again later, so that no unsubscribe is lost.
 */
async function unsubscribeFromStdin(config: Config): Promise<number> {
  const message = await readStdin()
  // One connection, with the app's statement timeout: a locked row answers 75, and the mail
  // server tries again, rather than holding its pipe.
  const db = createDb(config.databaseUrl, { max: 1, statementTimeoutMs: config.statementTimeoutMs })
  try {
    const outcome = await unsubscribeByMail(db, config, message)
    if (outcome === 'unsubscribed') console.log('unsubscribed')
    else
      console.error(
        outcome === 'no-token'
          ? 'error: no unsubscribe token in the Subject'
          : 'error: the unsubscribe token is not valid',
      )
    return outcome === 'unsubscribed' ? 0 : EX_DATAERR
  } catch (err) {
    console.error(
      `error: ${isDatabaseUnreachable(err) ? 'the database cannot be reached' : (err as Error).message}; try again later`,
    )
    return EX_TEMPFAIL
  } finally {
    await db.destroy()
  }
}

/** The message a mail server pipes in: its header is all we read, so the rest is drained, not kept. */
async function readStdin(limit = 256 * 1024): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(chunk)
    size += chunk.length
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    if (
      err instanceof UsageError ||
      err instanceof AppError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      const said = err instanceof AppError ? sayError(translator('en'), err) : undefined
      const message = said ? (said.fields ? Object.values(said.fields).join('; ') : said.message) : err.message
      console.error(`error: ${message}`)
      if (err instanceof UsageError) console.error(usage)
      process.exit(2)
    }
    console.error(`error: ${err.message}`)
    process.exit(1)
  },
)
