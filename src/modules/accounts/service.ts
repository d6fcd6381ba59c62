// Console accounts: login, invitations, password changes, disabling, and API tokens.
import type { Redis } from 'ioredis'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { AppError } from '../../errors.ts'
import type { Locale } from '../../locale.ts'
import { confirmToken, hashPassword, randomNonce, verifyConfirmToken, verifyPassword } from '../../security.ts'
import { record, type OrganizerActor } from '../audit/service.ts'
import { issueToken, type Role, type TokenGrant } from '../organizers/service.ts'
import * as outbox from '../outbox/repository.ts'
import { pageOf } from '../paging.ts'
import * as sessions from '../sessions/repository.ts'
import { endSessionsOf, startSession } from '../sessions/service.ts'
import * as accounts from './repository.ts'
import { passwordProblem } from './passwords.ts'
import { accountKey, attemptSucceeded, beginAttempt, deviceCookie, type LockScope } from './throttle.ts'

export const INVITE_PURPOSE = 'organizer-invite'

// A real scrypt hash of a random secret, at the same parameters as every stored one: an unknown
// address costs one verification too, so the answer takes as long as for a known address.
const DUMMY_HASH = 'scrypt$N=131072,r=8,p=1$0vUFz8Vkp1nuu1pwDCd8ZQ==$jbipZDIKIGUL6x6tvHf8Rw/bTAJzBDtQyx1LKabJPgw='

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * `mustChangePassword`: the password was one someone else saw; the session opens only the change
 * screen. `deviceCookie`: the value binding this browser to the account (throttle.ts).
 */
export type LoginResult =
  | { ok: true; sessionId: string; mustChangePassword: boolean; deviceCookie: string }
  | { ok: false; reason: 'invalid' | 'locked' }

/** Where a password is typed from: the client's address and the browser's device cookie. */
export interface PasswordClient {
  ip: string | undefined
  deviceCookie: string | undefined
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Counts the attempt, then checks the password only if the throttle allows it; a lock that this
 * attempt started is emailed to the account's holder (a known, usable account only).
 */
async function throttledCheck(
  db: Db,
  redis: Redis,
  config: Config,
  email: string,
  client: PasswordClient,
  check: () => Promise<boolean>,
) {
  const account = accountKey(config.secretKey, email)
  const attempt = await beginAttempt(redis, config, { account, ...client })
  if (!attempt.allowed) {
    if (attempt.lockStarted) await mailLock(db, email, attempt.lockStarted)
    return { ok: false as const, locked: true }
  }
  if (!(await check())) {
    // Progressive: each further wrong password in a row waits longer for its answer.
    if (attempt.delayMs) await sleep(attempt.delayMs)
    return { ok: false as const, locked: false }
  }
  await attemptSucceeded(redis, config, attempt)
  return { ok: true as const, deviceCookie: deviceCookie(config.secretKey, account, attempt.device) }
}

async function mailLock(db: Db, email: string, scope: LockScope) {
  const row = await accounts.findForLogin(db, email)
  if (!row?.password_hash || row.disabled_at) return
  await db.transaction().execute((trx) => outbox.enqueue(trx, 'account.locked', { organizerId: row.id, scope }))
}

/**
 * One answer for every failure (unknown address, wrong password, disabled or not yet activated
 * account), after the same work, so the answer does not tell whether an address has an account.
 */
export async function login(
  db: Db,
  redis: Redis,
  config: Config,
  input: { email: string; password: string; locale: Locale } & PasswordClient,
): Promise<LoginResult> {
  const email = normaliseEmail(input.email)
  let row: Awaited<ReturnType<typeof accounts.findForLogin>>
  const checked = await throttledCheck(db, redis, config, email, input, async () => {
    row = await accounts.findForLogin(db, email)
    const matches = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH)
    return Boolean(row?.password_hash && !row.disabled_at && matches)
  })
  if (!checked.ok) return { ok: false, reason: checked.locked ? 'locked' : 'invalid' }
  const account = row!
  const sessionId = await db.transaction().execute(async (trx) => {
    const id = await startSession(trx, config, account.id)
    await accounts.adoptLocale(trx, account.id, input.locale)
    await record(trx, { id: account.id, via: 'console' }, 'session.login', { type: 'organizer', id: account.id })
    return id
  })
  return { ok: true, sessionId, mustChangePassword: account.password_must_change, deviceCookie: checked.deviceCookie }
}

export async function logout(db: Db, account: { id: string; idHash: Buffer }) {
  await db.transaction().execute(async (trx) => {
    await sessions.deleteByHash(trx, account.idHash)
    await record(trx, { id: account.id, via: 'console' }, 'session.logout', { type: 'organizer', id: account.id })
  })
}

/** The names people know the organisation by: a password must not be made of them. */
export function organisationNames(config: Config): string[] {
  const sender = /^\s*"?([^"<]*?)"?\s*</.exec(config.mailFrom)?.[1]
  const labels = new URL(config.publicUrl).hostname.split('.').slice(0, -1)
  return ['Urgent Action', ...(sender ? [sender] : []), ...labels.filter((label) => label !== 'www')]
}

async function newPasswordHash(
  config: Config,
  input: { password: string; confirmation: string },
  owner: { email: string; name: string },
): Promise<string> {
  const { password, confirmation } = input
  const problem = passwordProblem(password, { ...owner, organisation: organisationNames(config) })
  if (problem) throw new AppError('invalid_input', { password: problem })
  if (password !== confirmation) throw new AppError('invalid_input', { confirmation: 'console.password.mismatch' })
  return hashPassword(password)
}

/**
 * Changes one's own password and ends every other session of the account; an account that had to
 * replace a one-time password is free from here on.
 */
export async function changePassword(
  db: Db,
  redis: Redis,
  config: Config,
  account: { id: string; idHash: Buffer },
  input: { current: string; password: string; confirmation: string },
  client: PasswordClient,
) {
  const row = await accounts.findPasswordHash(db, account.id)
  if (!row?.password_hash) throw new AppError('invalid_input', { current: 'console.password.wrongCurrent' })
  const hashed = row.password_hash
  // A stolen session guessing the current password is throttled like a login.
  const checked = await throttledCheck(db, redis, config, row.email, client, () =>
    verifyPassword(input.current, hashed),
  )
  if (!checked.ok) {
    if (checked.locked) throw new AppError('rate_limited', undefined, 'console.login.locked')
    throw new AppError('invalid_input', { current: 'console.password.wrongCurrent' })
  }
  // Keeping a one-time password would keep it working: the new one must differ.
  if (input.password === input.current) throw new AppError('invalid_input', { password: 'console.password.same' })
  const hash = await newPasswordHash(config, input, row)
  await db.transaction().execute(async (trx) => {
    await accounts.setPassword(trx, account.id, hash, { chosenByOwner: true })
    await endSessionsOf(trx, account.id, account.idHash)
    await record(trx, { id: account.id, via: 'console' }, 'account.password', { type: 'organizer', id: account.id })
  })
}

/**
 * One's own console settings: the language of one's console pages and emails, and the time zone its
 * times are shown in. Audited with what changed; a zone Postgres does not know (its tz database can
 * lag ICU's) is refused like one Intl does not know, since the dashboard counts days in it.
 */
export async function changeSettings(db: Db, actor: OrganizerActor, input: { locale?: Locale; timeZone?: string }) {
  if (input.timeZone !== undefined && !(await accounts.knownTimeZone(db, input.timeZone))) {
    throw new AppError('invalid_input', { timeZone: 'console.settings.badZone' })
  }
  await db.transaction().execute(async (trx) => {
    const before = await accounts.lockSettings(trx, actor.id)
    const after = { locale: input.locale ?? before.locale, timeZone: input.timeZone ?? before.time_zone }
    const changed: Record<string, { from: string | null; to: string | null }> = {}
    if (after.locale !== before.locale) changed.locale = { from: before.locale, to: after.locale }
    if ((after.timeZone ?? 'UTC') !== (before.time_zone ?? 'UTC')) {
      changed.timeZone = { from: before.time_zone, to: after.timeZone }
    }
    if (Object.keys(changed).length === 0) return
    await accounts.setSettings(trx, actor.id, after)
    await record(trx, actor, 'account.settings', { type: 'organizer', id: actor.id }, changed)
  })
}

export interface InviteInput {
  email: string
  name: string
  role: Role
}

/** Creates the account without a password and emails a single-use link to set one. */
export async function inviteOrganizer(
  db: Db,
  config: Config,
  actor: OrganizerActor,
  input: InviteInput,
  locale: Locale,
) {
  return db.transaction().execute(async (trx) => {
    const row = await accounts.insertInvited(trx, {
      email: normaliseEmail(input.email),
      name: input.name,
      role: input.role,
    })
    if (!row) throw new AppError('conflict', { email: 'console.organizers.exists' })
    await sendInvitation(trx, config, actor, row.id, locale)
    await record(trx, actor, 'organizer.invite', { type: 'organizer', id: row.id }, { role: input.role })
    return row.id
  })
}

/** A new link for an account that never set its password; older links stop working. */
export async function reinviteOrganizer(
  db: Db,
  config: Config,
  actor: OrganizerActor,
  organizerId: string,
  locale: Locale,
) {
  await db.transaction().execute(async (trx) => {
    const row = await accounts.findById(trx, organizerId)
    if (!row) throw new AppError('not_found')
    if (row.activated || row.disabled_at) throw new AppError('conflict', undefined, 'error.organizer.reinvite')
    await accounts.expireInvitations(trx, organizerId)
    await sendInvitation(trx, config, actor, organizerId, locale)
    await record(trx, actor, 'organizer.reinvite', { type: 'organizer', id: organizerId })
  })
}

async function sendInvitation(
  trx: Parameters<typeof accounts.insertInvitation>[0],
  config: Config,
  actor: OrganizerActor,
  organizerId: string,
  locale: Locale,
) {
  const invitation = await accounts.insertInvitation(trx, {
    organizerId,
    nonce: randomNonce(),
    invitedBy: actor.id,
    expiresAt: new Date(Date.now() + config.inviteHours * 3_600_000),
    locale,
  })
  await outbox.enqueue(trx, 'organizer.invite', { invitationId: invitation.id })
}

export function invitationLink(config: Config, nonce: Buffer): string {
  return `${config.publicUrl}/admin/invite/${confirmToken(config.secretKey, INVITE_PURPOSE, nonce)}`
}

/** An invitation works once, until it expires, and not for a disabled account. */
export function invitationOpen(row: { used_at: Date | null; expires_at: Date; disabled_at?: Date | null }) {
  return !row.used_at && !row.disabled_at && row.expires_at.getTime() > Date.now()
}

async function usableInvitation(db: Db, config: Config, token: string) {
  const nonce = verifyConfirmToken(config.secretKey, INVITE_PURPOSE, token)
  const row = nonce && (await accounts.findInvitation(db, nonce))
  return row && invitationOpen(row) ? row : undefined
}

/** What an invitation link shows: the address it sets a password for, if it still works. */
export async function inspectInvitation(db: Db, config: Config, token: string) {
  const row = await usableInvitation(db, config, token)
  return row && { email: row.email, name: row.name }
}

/** Sets the first password; the link works once. */
export async function acceptInvitation(
  db: Db,
  config: Config,
  token: string,
  input: { password: string; confirmation: string },
) {
  const row = await usableInvitation(db, config, token)
  if (!row) throw new AppError('not_found')
  const hash = await newPasswordHash(config, input, row)
  await db.transaction().execute(async (trx) => {
    const locked = await accounts.lockInvitation(trx, row.id)
    if (locked.used_at) throw new AppError('not_found') // used by a concurrent request
    await accounts.setPassword(trx, row.organizer_id, hash, { chosenByOwner: true })
    await accounts.markInvitationUsed(trx, row.id)
    await accounts.expireInvitations(trx, row.organizer_id)
    await record(trx, { id: row.organizer_id, via: 'console' }, 'organizer.activate', {
      type: 'organizer',
      id: row.organizer_id,
    })
  })
}

export async function findOrganizer(db: Db, organizerId: string) {
  const row = await accounts.findById(db, organizerId)
  if (!row) throw new AppError('not_found')
  return row
}

/** Disabling stops the account's sessions and API tokens at once; tokens stay revoked after. */
export async function setOrganizerDisabled(db: Db, actor: OrganizerActor, organizerId: string, disabled: boolean) {
  if (organizerId === actor.id) throw new AppError('conflict', undefined, 'error.organizer.self')
  await db.transaction().execute(async (trx) => {
    const row = await accounts.setDisabled(trx, organizerId, disabled)
    if (!row)
      throw new AppError(
        'conflict',
        undefined,
        disabled ? 'error.organizer.alreadyDisabled' : 'error.organizer.alreadyEnabled',
      )
    if (disabled) {
      await endSessionsOf(trx, organizerId)
      await accounts.revokeAllTokens(trx, organizerId)
    }
    await record(trx, actor, disabled ? 'organizer.disable' : 'organizer.enable', {
      type: 'organizer',
      id: organizerId,
    })
  })
}

export async function organizersPage(db: Db, page: number) {
  const p = pageOf(page, await accounts.countOrganizers(db))
  return { ...p, rows: await accounts.pageOrganizers(db, p.size, p.offset) }
}

/** A new API token for the acting organizer: returned once, stored as its SHA-256. */
export async function createToken(db: Db, actor: OrganizerActor, grant: TokenGrant) {
  return db.transaction().execute(async (trx) => {
    const { id, token, detail } = await issueToken(trx, actor.id, grant)
    await record(trx, actor, 'token.create', { type: 'api_token', id }, detail)
    return token
  })
}

export async function revokeToken(db: Db, actor: OrganizerActor, tokenId: string) {
  await db.transaction().execute(async (trx) => {
    const row = await accounts.revokeToken(trx, actor.id, tokenId)
    if (!row) throw new AppError('not_found')
    await record(trx, actor, 'token.revoke', { type: 'api_token', id: tokenId })
  })
}

export async function tokensPage(db: Db, organizerId: string, page: number) {
  const p = pageOf(page, await accounts.countTokens(db, organizerId))
  return { ...p, rows: await accounts.listTokens(db, organizerId, p.size, p.offset) }
}
