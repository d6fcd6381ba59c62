import type { Db } from '../../db/index.ts'
import { AppError } from '../../errors.ts'
import { hashPassword, randomSecret, sha256 } from '../../security.ts'
import * as organizers from './repository.ts'

export type Role = 'admin' | 'organizer'
export interface Organizer {
  id: string
  role: Role
}

/**
 * Creates an account with a one-time password, returned once and stored only as a hash; the
 * account must choose its own at its first login.
 */
export async function createOrganizer(db: Db, input: { email: string; name: string; role: Role }) {
  const password = randomSecret(18)
  const row = await organizers.insertOrganizer(db, {
    email: input.email.trim().toLowerCase(),
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(password),
  })
  if (!row) throw new AppError('conflict', `An organizer with the address ${input.email} exists already.`)
  return { id: row.id, password }
}

/** A new API token for an organizer: shown once, stored as its SHA-256. */
export async function createApiToken(db: Db, email: string) {
  const organizer = await organizers.findIdByEmail(db, email.trim().toLowerCase())
  if (!organizer) throw new AppError('not_found', `No organizer has the address ${email}.`)
  if (organizer.disabled_at) throw new AppError('conflict', 'This account is disabled.')
  const token = `ua_${randomSecret(32)}`
  await organizers.insertToken(db, organizer.id, sha256(token))
  return token
}

const TOUCH_EVERY_MS = 60_000

export async function authenticateToken(db: Db, token: string): Promise<Organizer | undefined> {
  const row = await organizers.findByTokenHash(db, sha256(token))
  if (!row) return undefined
  // last use is for the console's token list: minute precision, not a write per request.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await organizers.touchToken(db, row.token_id)
  }
  return { id: row.id, role: row.role }
}
