// Console sessions, stored server-side so they can be ended at once: the cookie holds a random
// id, the table only its SHA-256. Idle and absolute limits come from config.
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/index.ts'
import { toLocale, type Locale } from '../../locale.ts'
import { randomSecret, sha256 } from '../../security.ts'
import type { Role } from '../organizers/service.ts'
import * as sessions from './repository.ts'

export interface SessionAccount {
  id: string
  email: string
  name: string
  role: Role
  /** Logged in with a password someone else saw: only the change-password screen opens. */
  mustChangePassword: boolean
  /** The console's language for this account; null before it has one (then the reader's). */
  locale: Locale | null
  /** The IANA zone its times are shown in and its "today" is counted by. */
  timeZone: string
  /** SHA-256 of the cookie's session id: what the row is found by, and what CSRF tokens bind to. */
  idHash: Buffer
}

// Writing last_seen_at on every request would cost a write per page view; a minute is well
// below any sensible idle timeout.
const TOUCH_EVERY_MS = 60_000

/** A fresh session id for a login; the caller sets it as the cookie. Always new, never reused. */
export async function startSession(trx: Db | Trx, config: Config, organizerId: string): Promise<string> {
  const id = randomSecret(32)
  await sessions.insert(trx, {
    idHash: sha256(id),
    organizerId,
    expiresAt: new Date(Date.now() + config.sessionMaxHours * 3_600_000),
  })
  return id
}

export async function resolveSession(db: Db, config: Config, id: string): Promise<SessionAccount | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined
  const idHash = sha256(id)
  const row = await sessions.findLive(db, idHash, config.sessionIdleMinutes)
  if (!row) return undefined
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) await sessions.touch(db, row.session_id)
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    mustChangePassword: row.password_must_change,
    locale: toLocale(row.locale) ?? null,
    timeZone: row.time_zone ?? 'UTC',
    idHash,
  }
}

export async function endSession(db: Db, id: string) {
  await sessions.deleteByHash(db, sha256(id))
}

export const endSessionsOf = sessions.deleteForOrganizer
export const purgeExpiredSessions = sessions.deleteExpired
