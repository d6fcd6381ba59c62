import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { TokenScope } from '../../db/types.ts'

export function insertOrganizer(
  db: Db | Trx,
  o: { email: string; name: string; role: 'admin' | 'organizer'; passwordHash: string },
) {
  return (
    db
      .insertInto('organizers')
      // The password is printed for the operator: the account must replace it at its first login.
      .values({ email: o.email, name: o.name, role: o.role, password_hash: o.passwordHash, password_must_change: true })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning(['id', 'email', 'role'])
      .executeTakeFirst()
  )
}

export function findIdByEmail(db: Db, email: string) {
  return db.selectFrom('organizers').select(['id', 'disabled_at']).where('email', '=', email).executeTakeFirst()
}

export async function insertToken(
  db: Db | Trx,
  organizerId: string,
  tokenHash: Buffer,
  grant: { scope: TokenScope; expiresAt: Date | null },
) {
  const row = await db
    .insertInto('api_tokens')
    .values({ organizer_id: organizerId, token_hash: tokenHash, scope: grant.scope, expires_at: grant.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The organizer behind a live (not revoked, not expired) token of an enabled account, and the token's scope. */
export function findByTokenHash(db: Db, tokenHash: Buffer) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('organizers', 'organizers.id', 'api_tokens.organizer_id')
    .select([
      'organizers.id',
      'organizers.role',
      'api_tokens.id as token_id',
      'api_tokens.scope',
      'api_tokens.last_used_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', sql<Date>`now()`)]))
    .where('organizers.disabled_at', 'is', null)
    .executeTakeFirst()
}

export function touchToken(db: Db, tokenId: string) {
  return db
    .updateTable('api_tokens')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', tokenId)
    .execute()
}
