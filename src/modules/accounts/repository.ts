import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { Role } from '../organizers/service.ts'

/** What a login needs; the hash leaves this module only to be verified. */
export function findForLogin(db: Db, email: string) {
  return db
    .selectFrom('organizers')
    .select(['id', 'role', 'password_hash', 'disabled_at', 'password_must_change'])
    .where('email', '=', email)
    .executeTakeFirst()
}

/**
 * At a login, an account without a language yet takes the login page's: its console and the emails
 * it gets unasked (a login lock) are in it from then on, until it chooses another on its account page.
 */
export function adoptLocale(trx: Trx, id: string, locale: string) {
  return trx.updateTable('organizers').set({ locale }).where('id', '=', id).where('locale', 'is', null).execute()
}

/** The account's console settings, locked: what a change is compared with (and audited against). */
export function lockSettings(trx: Trx, id: string) {
  return trx
    .selectFrom('organizers')
    .select(['locale', 'time_zone'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export function setSettings(trx: Trx, id: string, s: { locale: string | null; timeZone: string | null }) {
  return trx.updateTable('organizers').set({ locale: s.locale, time_zone: s.timeZone }).where('id', '=', id).execute()
}

/** Who a login-lock email goes to: only an account that can log in at all. */
export function findForLockMail(db: Db, id: string) {
  return db
    .selectFrom('organizers')
    .select(['email', 'name', 'locale'])
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .where('password_hash', 'is not', null)
    .executeTakeFirst()
}

export function findPasswordHash(db: Db | Trx, id: string) {
  return db
    .selectFrom('organizers')
    .select(['id', 'email', 'name', 'password_hash'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export function findById(db: Db | Trx, id: string) {
  return db
    .selectFrom('organizers')
    .select(['id', 'email', 'name', 'role', 'disabled_at', 'created_at'])
    .select(sql<boolean>`password_hash is not null`.as('activated'))
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * `chosenByOwner: false` for a password someone else has seen (printed, set for the account): the
 * account must then replace it at its next login.
 */
export function setPassword(
  db: Db | Trx,
  id: string,
  passwordHash: string,
  { chosenByOwner }: { chosenByOwner: boolean },
) {
  return db
    .updateTable('organizers')
    .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()`, password_must_change: !chosenByOwner })
    .where('id', '=', id)
    .execute()
}

/** An account without a password yet: it can only be entered through its invitation. */
export function insertInvited(trx: Trx, o: { email: string; name: string; role: Role }) {
  return trx
    .insertInto('organizers')
    .values({ email: o.email, name: o.name, role: o.role, password_hash: null })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id'])
    .executeTakeFirst()
}

export function setDisabled(trx: Trx, id: string, disabled: boolean) {
  return trx
    .updateTable('organizers')
    .set({ disabled_at: disabled ? sql<Date>`now()` : null })
    .where('id', '=', id)
    .where('disabled_at', disabled ? 'is' : 'is not', null)
    .returning(['id'])
    .executeTakeFirst()
}

export async function countOrganizers(db: Db) {
  const row = await db
    .selectFrom('organizers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function pageOrganizers(db: Db, limit: number, offset: number) {
  return db
    .selectFrom('organizers')
    .select(['id', 'email', 'name', 'role', 'disabled_at', 'created_at'])
    .select(sql<boolean>`password_hash is not null`.as('activated'))
    .orderBy('email')
    .limit(limit)
    .offset(offset)
    .execute()
}

export function insertInvitation(
  trx: Trx,
  i: { organizerId: string; nonce: Buffer; invitedBy: string; expiresAt: Date; locale: string },
) {
  return trx
    .insertInto('invitations')
    .values({
      organizer_id: i.organizerId,
      nonce: i.nonce,
      invited_by: i.invitedBy,
      expires_at: i.expiresAt,
      locale: i.locale,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** A new invitation replaces the older ones: only the latest link works. */
export function expireInvitations(trx: Trx, organizerId: string) {
  return trx
    .updateTable('invitations')
    .set({ expires_at: sql<Date>`least(expires_at, now())` })
    .where('organizer_id', '=', organizerId)
    .where('used_at', 'is', null)
    .execute()
}

export function findInvitation(db: Db | Trx, nonce: Buffer) {
  return db
    .selectFrom('invitations')
    .innerJoin('organizers', 'organizers.id', 'invitations.organizer_id')
    .select([
      'invitations.id',
      'invitations.expires_at',
      'invitations.used_at',
      'organizers.id as organizer_id',
      'organizers.email',
      'organizers.name',
      'organizers.disabled_at',
    ])
    .where('invitations.nonce', '=', nonce)
    .executeTakeFirst()
}

export function lockInvitation(trx: Trx, id: string) {
  return trx
    .selectFrom('invitations')
    .select(['id', 'used_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export function markInvitationUsed(trx: Trx, id: string) {
  return trx
    .updateTable('invitations')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

/** What the mail worker needs to send an invitation. */
export function findInvitationForMail(db: Db, id: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('organizers', 'organizers.id', 'invitations.organizer_id')
    .select([
      'invitations.id',
      'invitations.nonce',
      'invitations.expires_at',
      'invitations.used_at',
      'invitations.locale',
      'organizers.email',
      'organizers.name',
    ])
    .where('invitations.id', '=', id)
    .executeTakeFirst()
}

export function listTokens(db: Db, organizerId: string, limit: number, offset: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'scope', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('organizer_id', '=', organizerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countTokens(db: Db, organizerId: string) {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('organizer_id', '=', organizerId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Revokes one of the organizer's own live tokens; undefined when there is no such token. */
export function revokeToken(trx: Trx, organizerId: string, tokenId: string) {
  return trx
    .updateTable('api_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', tokenId)
    .where('organizer_id', '=', organizerId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
}

export function revokeAllTokens(trx: Trx, organizerId: string) {
  return trx
    .updateTable('api_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('organizer_id', '=', organizerId)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Whether Postgres can count days in the zone (pg_timezone_names reads the tz files: slow, avoided). */
export async function knownTimeZone(db: Db, zone: string): Promise<boolean> {
  try {
    await sql`select now() at time zone ${zone}`.execute(db)
    return true
  } catch (err) {
    // 22023: "time zone ... not recognized"; anything else (Postgres gone) is not the zone's fault.
    if ((err as { code?: string }).code === '22023') return false
    throw err
  }
}
