// Console accounts: login, invitations, password changes, disabling, and API tokens.
import type { Redis } from 'ioredis'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { AppError } from '../../errors.ts'
import type { Locale } from '../../i18n/index.ts'
import { confirmToken, hashPassword, randomNonce, randomSecret, sha256, verifyConfirmToken, verifyPassword } from '../../security.ts'
import { record, type Actor } from '../audit/service.ts'
import { FormError } from '../form-error.ts'
import type { Role } from '../organizers/service.ts'
import * as outbox from '../outbox/repository.ts'
import { pageOf } from '../paging.ts'
import * as sessions from '../sessions/repository.ts'
import { endSessionsOf, startSession } from '../sessions/service.ts'
import * as accounts from './repository.ts'
import { passwordProblem } from './passwords.ts'
import { checkThrottle, recordFailure, recordSuccess, throttleKeys } from './throttle.ts'

export const INVITE_PURPOSE = 'organizer-invite'

// A real scrypt hash of a random secret, at the same parameters as every stored one: an unknown
// address costs one verification too, so the answer takes as long as for a known address.
const DUMMY_HASH = 'scrypt$N=131072,r=8,p=1$0vUFz8Vkp1nuu1pwDCd8ZQ==$jbipZDIKIGUL6x6tvHf8Rw/bTAJzBDtQyx1LKabJPgw='

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** `mustChangePassword`: the password was one someone else saw; the session opens only the change screen. */
export type LoginResult =
  | { ok: true; sessionId: string; mustChangePassword: boolean }
  | { ok: false; reason: 'invalid' | 'locked' }

/**
 * One answer for every failure (unknown address, wrong password, disabled or not yet activated
 * account), after the same work, so the answer does not tell whether an address has an account.
 */
export async function login(
  db: Db,
  redis: Redis,
  config: Config,
  input: { email: string; password: string; ip: string | undefined },
): Promise<LoginResult> {
  const email = normaliseEmail(input.email)
  const keys = throttleKeys(config.queuePrefix, config.secretKey, email, input.ip)
  const throttle = await checkThrottle(redis, keys)
  if (throttle.locked) return { ok: false, reason: 'locked' }
  if (throttle.delayMs) await new Promise((r) => setTimeout(r, throttle.delayMs))

  const row = await accounts.findForLogin(db, email)
  const matches = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH)
  if (!row || !row.password_hash || row.disabled_at || !matches) {
    await recordFailure(redis, keys)
    return { ok: false, reason: 'invalid' }
  }
  await recordSuccess(redis, keys)
  const sessionId = await db.transaction().execute(async (trx) => {
    const id = await startSession(trx, config, row.id)
    await record(trx, { id: row.id, via: 'console' }, 'session.login', { type: 'organizer', id: row.id })
    return id
  })
  return { ok: true, sessionId, mustChangePassword: row.password_must_change }
}

export async function logout(db: Db, account: { id: string; idHash: Buffer }) {
  await db.transaction().execute(async (trx) => {
    await sessions.deleteByHash(trx, account.idHash)
    await record(trx, { id: account.id, via: 'console' }, 'session.logout', { type: 'organizer', id: account.id })
  })
}

async function newPasswordHash(password: string, confirmation: string, email: string): Promise<string> {
  const problem = passwordProblem(password, email)
  if (problem) throw new FormError({ password: problem })
  if (password !== confirmation) throw new FormError({ confirmation: 'console.password.mismatch' })
  return hashPassword(password)
}

/**
 * Changes one's own password and ends every other session of the account; an account that had to
 * replace a one-time password is free from here on.
 */
export async function changePassword(
  db: Db,
  account: { id: string; idHash: Buffer },
  input: { current: string; password: string; confirmation: string },
) {
  const row = await accounts.findPasswordHash(db, account.id)
  if (!row?.password_hash || !(await verifyPassword(input.current, row.password_hash))) {
    throw new FormError({ current: 'console.password.wrongCurrent' })
  }
  // Keeping a one-time password would keep it working: the new one must differ.
  if (input.password === input.current) throw new FormError({ password: 'console.password.same' })
  const hash = await newPasswordHash(input.password, input.confirmation, row.email)
  await db.transaction().execute(async (trx) => {
    await accounts.setPassword(trx, account.id, hash, { chosenByOwner: true })
    await endSessionsOf(trx, account.id, account.idHash)
    await record(trx, { id: account.id, via: 'console' }, 'account.password', { type: 'organizer', id: account.id })
  })
}

export interface InviteInput {
  email: string
  name: string
  role: Role
}

/** Creates the account without a password and emails a single-use link to set one. */
export async function inviteOrganizer(db: Db, config: Config, actor: Actor, input: InviteInput, locale: Locale) {
  return db.transaction().execute(async (trx) => {
    const row = await accounts.insertInvited(trx, { email: normaliseEmail(input.email), name: input.name, role: input.role })
    if (!row) throw new FormError({ email: 'console.organizers.exists' }, 409)
    await sendInvitation(trx, config, actor, row.id, locale)
    await record(trx, actor, 'organizer.invite', { type: 'organizer', id: row.id }, { role: input.role })
    return row.id
  })
}

/** A new link for an account that never set its password; older links stop working. */
export async function reinviteOrganizer(db: Db, config: Config, actor: Actor, organizerId: string, locale: Locale) {
  await db.transaction().execute(async (trx) => {
    const row = await accounts.findById(trx, organizerId)
    if (!row) throw new AppError('not_found')
    if (row.activated || row.disabled_at) throw new AppError('conflict', 'This account cannot be invited again.')
    await accounts.expireInvitations(trx, organizerId)
    await sendInvitation(trx, config, actor, organizerId, locale)
    await record(trx, actor, 'organizer.reinvite', { type: 'organizer', id: organizerId })
  })
}

async function sendInvitation(trx: Parameters<typeof accounts.insertInvitation>[0], config: Config, actor: Actor, organizerId: string, locale: Locale) {
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

async function usableInvitation(db: Db, config: Config, token: string) {
  const nonce = verifyConfirmToken(config.secretKey, INVITE_PURPOSE, token)
  const row = nonce && (await accounts.findInvitation(db, nonce))
  if (!row || row.used_at || row.disabled_at || row.expires_at.getTime() <= Date.now()) return undefined
  return row
}

/** What an invitation link shows: the address it sets a password for, if it still works. */
export async function inspectInvitation(db: Db, config: Config, token: string) {
  const row = await usableInvitation(db, config, token)
  return row && { email: row.email, name: row.name }
}

/** Sets the first password; the link works once. */
export async function acceptInvitation(db: Db, config: Config, token: string, input: { password: string; confirmation: string }) {
  const row = await usableInvitation(db, config, token)
  if (!row) throw new AppError('not_found')
  const hash = await newPasswordHash(input.password, input.confirmation, row.email)
  await db.transaction().execute(async (trx) => {
    const locked = await accounts.lockInvitation(trx, row.id)
    if (locked.used_at) throw new AppError('not_found') // used by a concurrent request
    await accounts.setPassword(trx, row.organizer_id, hash, { chosenByOwner: true })
    await accounts.markInvitationUsed(trx, row.id)
    await accounts.expireInvitations(trx, row.organizer_id)
    await record(trx, { id: row.organizer_id, via: 'console' }, 'organizer.activate', { type: 'organizer', id: row.organizer_id })
  })
}

/** Disabling stops the account's sessions and API tokens at once; tokens stay revoked after. */
export async function setOrganizerDisabled(db: Db, actor: Actor, organizerId: string, disabled: boolean) {
  if (organizerId === actor.id) throw new AppError('conflict', 'You cannot disable your own account.')
  await db.transaction().execute(async (trx) => {
    const row = await accounts.setDisabled(trx, organizerId, disabled)
    if (!row) throw new AppError('conflict', disabled ? 'This account is already disabled.' : 'This account is already enabled.')
    if (disabled) {
      await endSessionsOf(trx, organizerId)
      await accounts.revokeAllTokens(trx, organizerId)
    }
    await record(trx, actor, disabled ? 'organizer.disable' : 'organizer.enable', { type: 'organizer', id: organizerId })
  })
}

export async function organizersPage(db: Db, page: number) {
  const p = pageOf(page, await accounts.countOrganizers(db))
  return { ...p, rows: await accounts.pageOrganizers(db, p.size, p.offset) }
}

/** A new API token for the acting organizer: returned once, stored as its SHA-256. */
export async function createToken(db: Db, actor: Actor) {
  const token = `ua_${randomSecret(32)}`
  await db.transaction().execute(async (trx) => {
    const row = await accounts.insertToken(trx, actor.id, sha256(token))
    await record(trx, actor, 'token.create', { type: 'api_token', id: row.id })
  })
  return token
}

export async function revokeToken(db: Db, actor: Actor, tokenId: string) {
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
