import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'

export function insert(db: Db | Trx, s: { idHash: Buffer; organizerId: string; expiresAt: Date }) {
  return db
    .insertInto('sessions')
    .values({ id_hash: s.idHash, organizer_id: s.organizerId, expires_at: s.expiresAt })
    .execute()
}

/**
 * The session and its account, if the session is within both its idle and absolute limits and
 * the account is enabled: a disabled account's sessions stop on their next request.
 */
export function findLive(db: Db, idHash: Buffer, idleMinutes: number) {
  return db
    .selectFrom('sessions')
    .innerJoin('organizers', 'organizers.id', 'sessions.organizer_id')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'organizers.id',
      'organizers.email',
      'organizers.name',
      'organizers.role',
      'organizers.password_must_change',
      'organizers.locale',
      'organizers.time_zone',
    ])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('sessions.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .where('organizers.disabled_at', 'is', null)
    .executeTakeFirst()
}

export function touch(db: Db, sessionId: string) {
  return db
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id', '=', sessionId)
    .execute()
}

export function deleteByHash(db: Db | Trx, idHash: Buffer) {
  return db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

/** Ends every session of an account, except possibly the one making the request. */
export function deleteForOrganizer(db: Db | Trx, organizerId: string, keepHash?: Buffer) {
  let q = db.deleteFrom('sessions').where('organizer_id', '=', organizerId)
  if (keepHash) q = q.where('id_hash', '!=', keepHash)
  return q.execute()
}

/** Ended sessions are only clutter; they cannot be used either way. */
export function deleteExpired(db: Db, idleMinutes: number) {
  return db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', sql<Date>`now()`),
        eb('last_seen_at', '<=', sql<Date>`now() - make_interval(mins => ${idleMinutes})`),
      ]),
    )
    .execute()
}
