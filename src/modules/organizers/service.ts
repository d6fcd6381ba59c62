import type { Db, Trx } from '../../db/index.ts'
import type { TokenScope } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import { record, type Actor } from '../audit/service.ts'
import { hashPassword, randomSecret, sha256 } from '../../security.ts'
import * as organizers from './repository.ts'

export type Role = 'admin' | 'organizer'
export interface Organizer {
  id: string
  role: Role
  /** What the token it came with may do. */
  scope: TokenScope
}

/**
 * Creates an account with a one-time password, returned once and stored only as a hash; the
 * account must choose its own at its first login.
 */
export async function createOrganizer(db: Db, actor: Actor, input: { email: string; name: string; role: Role }) {
  const password = randomSecret(18)
  const passwordHash = await hashPassword(password)
  const row = await db.transaction().execute(async (trx) => {
    const created = await organizers.insertOrganizer(trx, {
      email: input.email.trim().toLowerCase(),
      name: input.name,
      role: input.role,
      passwordHash,
    })
    if (created)
      await record(trx, actor, 'organizer.create', { type: 'organizer', id: created.id }, { role: input.role })
    return created
  })
  if (!row) throw new AppError('conflict', { email: 'error.organizer.exists' }, 'error.organizer.exists')
  return { id: row.id, password }
}

/** What a new token may do, and for how many days (none: until revoked). */
export interface TokenGrant {
  scope: TokenScope
  expiresInDays?: number | undefined
}

/** The most days a token may be given: past it, "until revoked" says the same more honestly. */
export const TOKEN_MAX_DAYS = 3650

/**
 * Makes a token for `organizerId` inside the caller's transaction (the caller audits): returned
 * once, stored as its SHA-256, with its scope and expiry. Every way of making one comes here.
 */
export async function issueToken(trx: Trx, organizerId: string, grant: TokenGrant) {
  const days = grant.expiresInDays
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= TOKEN_MAX_DAYS)) {
    throw new AppError('invalid_input', { expires: { key: 'error.token.expires', params: { max: TOKEN_MAX_DAYS } } })
  }
  const token = `ua_${randomSecret(32)}`
  const expiresAt = days === undefined ? null : new Date(Date.now() + days * 86_400_000)
  const id = await organizers.insertToken(trx, organizerId, sha256(token), { scope: grant.scope, expiresAt })
  return { id, token, detail: { scope: grant.scope, expiresAt: expiresAt?.toISOString() ?? null } }
}

/** A new API token for the organizer with this email (the CLI's). */
export async function createApiToken(db: Db, actor: Actor, email: string, grant: TokenGrant = { scope: 'write' }) {
  const organizer = await organizers.findIdByEmail(db, email.trim().toLowerCase())
  if (!organizer) throw new AppError('not_found', undefined, { key: 'error.organizer.unknown', params: { email } })
  if (organizer.disabled_at) throw new AppError('conflict', undefined, 'error.organizer.disabled')
  return db.transaction().execute(async (trx) => {
    const { id, token, detail } = await issueToken(trx, organizer.id, grant)
    await record(trx, actor, 'token.create', { type: 'api_token', id }, { organizer: organizer.id, ...detail })
    return token
  })
}

const TOUCH_EVERY_MS = 60_000

export async function authenticateToken(db: Db, token: string): Promise<Organizer | undefined> {
  const row = await organizers.findByTokenHash(db, sha256(token))
  if (!row) return undefined
  // last use is for the console's token list: minute precision, not a write per request.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await organizers.touchToken(db, row.token_id)
  }
  return { id: row.id, role: row.role, scope: row.scope }
}
