import { knownProvince } from '../../place-names.ts'
import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import { emailedWithin } from '../../db/cooldown.ts'
import type { Frequency, Locale, SubscriberStatus } from '../../db/types.ts'
import { locales } from '../../locale.ts'
import { addressHash } from '../email-key.ts'
import { translatedProvince } from '../provinces.ts'

export interface Topics {
  all: boolean
  campaignIds: string[]
  provinces: string[]
}

/** Inserts unless the address is known; returns the new id or undefined. */
export async function insertIfNew(
  trx: Trx,
  s: {
    email: string
    emailKey: string
    locale: string
    frequency: Frequency
    status: SubscriberStatus
    topicAll: boolean
    nonce: Buffer
    confirmExpiresAt: Date | null
  },
) {
  const row = await trx
    .insertInto('subscribers')
    .values({
      email: s.email,
      email_key: s.emailKey,
      locale: s.locale,
      frequency: s.frequency,
      status: s.status,
      topic_all: s.topicAll,
      nonce: s.nonce,
      confirm_expires_at: s.confirmExpiresAt,
      ...(s.status === 'pending' ? { last_emailed_at: sql<Date>`now()` } : {}),
      ...(s.status === 'active' ? { confirmed_at: sql<Date>`now()` } : {}),
    })
    .onConflict((oc) => oc.column('email_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** What an address asked for when it subscribed again: applied by the mail worker if it is not active. */
export interface SubscribeRequest {
  locale: string
  frequency: Frequency
  topicAll: boolean
  campaignIds: string[]
  provinces: string[]
}

/**
 * One statement for a new address and a known one alike, so neither the answer nor its timing
 * says which it was: a new address is inserted pending, with its topics and a
 * `subscriber.confirm` row; a known one gets only a `subscriber.repeat` row carrying the
 * request, which the mail worker resolves.
 */
export async function insertOrNoteRepeat(
  db: Db,
  s: { email: string; emailKey: string; nonce: Buffer; confirmExpiresAt: Date },
  request: SubscribeRequest,
) {
  await sql`
    with inserted as (
      insert into subscribers (email, email_key, locale, frequency, status, topic_all, nonce, confirm_expires_at, last_emailed_at)
      values (${s.email}, ${s.emailKey}, ${request.locale}, ${request.frequency}, 'pending', ${request.topicAll},
        ${s.nonce}, ${s.confirmExpiresAt}, now())
      on conflict (email_key) do nothing
      returning id
    ), campaigns_added as (
      insert into subscriber_campaigns (subscriber_id, campaign_id)
      select inserted.id, c from inserted, unnest(${request.campaignIds}::bigint[]) c
      on conflict do nothing
    ), provinces_added as (
      insert into subscriber_provinces (subscriber_id, province)
      select inserted.id, p from inserted, unnest(${request.provinces}::text[]) p
      on conflict do nothing
    ), earlier as (
      select id from subscribers where email_key = ${s.emailKey}
    )
    insert into outbox (kind, payload)
    select 'subscriber.confirm', jsonb_build_object('subscriberId', inserted.id::text) from inserted
    union all
    select 'subscriber.repeat', jsonb_build_object('subscriberId', earlier.id::text, 'request', ${JSON.stringify(request)}::jsonb)
    from earlier`.execute(db)
}

/**
 * Locks a subscriber for the mail worker's decision on a repeat; says if we emailed it lately.
 * A subscriber whose address the retention purge erased meanwhile counts as gone.
 */
export function lockForRepeat(trx: Trx, id: string, cooldownSeconds: number) {
  return trx
    .selectFrom('subscribers')
    .select(['id', 'status', 'confirm_expires_at', 'email_key'])
    .select(emailedWithin('last_emailed_at', cooldownSeconds).as('recently_emailed'))
    .where('id', '=', id)
    .where('email', '<>', '')
    .forUpdate()
    .executeTakeFirst()
}

export function lockByEmailKey(trx: Trx, emailKey: string, cooldownSeconds = 0) {
  return trx
    .selectFrom('subscribers')
    .select(['id', 'status', 'topic_all'])
    .select(emailedWithin('last_emailed_at', cooldownSeconds).as('recently_emailed'))
    .where('email_key', '=', emailKey)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export function markEmailed(trx: Trx, id: string) {
  return trx
    .updateTable('subscribers')
    .set({ last_emailed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

export function update(
  trx: Trx | Db,
  id: string,
  changes: Partial<{
    status: SubscriberStatus
    locale: string
    frequency: Frequency
    topicAll: boolean
    confirmExpiresAt: Date | null
    email: string
  }>,
) {
  return trx
    .updateTable('subscribers')
    .set({
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.status === 'active'
        ? { confirmed_at: sql<Date>`coalesce(confirmed_at, now())`, unsubscribed_at: null }
        : {}),
      ...(changes.status === 'unsubscribed' ? { unsubscribed_at: sql<Date>`now()` } : {}),
      ...(changes.locale ? { locale: changes.locale } : {}),
      ...(changes.frequency ? { frequency: changes.frequency } : {}),
      ...(changes.topicAll !== undefined ? { topic_all: changes.topicAll } : {}),
      ...(changes.confirmExpiresAt !== undefined ? { confirm_expires_at: changes.confirmExpiresAt } : {}),
      ...(changes.email ? { email: changes.email } : {}),
    })
    .where('id', '=', id)
    .execute()
}

/** Replaces a subscriber's campaign and province topics. */
export async function replaceTopics(trx: Trx, id: string, topics: Topics) {
  await trx.deleteFrom('subscriber_campaigns').where('subscriber_id', '=', id).execute()
  await trx.deleteFrom('subscriber_provinces').where('subscriber_id', '=', id).execute()
  await addTopics(trx, id, topics)
}

export async function addTopics(trx: Trx, id: string, topics: Omit<Topics, 'all'>) {
  if (topics.campaignIds.length) {
    await trx
      .insertInto('subscriber_campaigns')
      .values(topics.campaignIds.map((c) => ({ subscriber_id: id, campaign_id: c })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  if (topics.provinces.length) {
    await trx
      .insertInto('subscriber_provinces')
      .values(topics.provinces.map((p) => ({ subscriber_id: id, province: p })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

export function findByNonce(db: Db | Trx, nonce: Buffer) {
  return db
    .selectFrom('subscribers')
    .select(['id', 'email_key', 'status', 'locale', 'frequency', 'topic_all', 'confirm_expires_at', 'nonce'])
    .where('nonce', '=', nonce)
    .executeTakeFirst()
}

/** What the mail worker needs to write to a subscriber: the one place their address is read back. */
export function findForMail(db: Db, id: string) {
  return db
    .selectFrom('subscribers')
    .select([
      'id',
      'email',
      'email_key',
      'locale',
      'status',
      'nonce',
      'frequency',
      'topic_all',
      'last_digest_at',
      'confirmed_at',
      'confirm_expires_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function topicsOf(db: Db | Trx, id: string) {
  const [campaigns, provinces] = await Promise.all([
    db
      .selectFrom('subscriber_campaigns')
      .innerJoin('campaigns', 'campaigns.id', 'subscriber_campaigns.campaign_id')
      .select(['campaigns.id', 'campaigns.slug', 'campaigns.title'])
      .where('subscriber_id', '=', id)
      .execute(),
    db.selectFrom('subscriber_provinces').select('province').where('subscriber_id', '=', id).execute(),
  ])
  return { campaigns, provinces: provinces.map((p) => p.province) }
}

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained'
/** What stops every email to an address, of any kind, for good: not only alerts. */
export const NEVER_AGAIN: readonly SuppressionReason[] = ['bounced', 'complained']

/**
 * Suppresses an address, keyed by its address while a subscriber holds it and by its hash
 * always. A bounce coming back after its subscriber was erased is kept as the hash alone; an
 * unsubscribe without a subscriber stops nothing and is not kept. The first reason stays.
 */
export async function suppress(
  db: Trx | Db,
  secret: string,
  emailKey: string,
  reason: SuppressionReason,
  detail?: string,
) {
  const hash = addressHash(secret, emailKey)
  await sql`
    with held as (select email_key from subscribers where email_key = ${emailKey})
    insert into suppressions (email_key, address_hash, reason, detail)
    select email_key, ${hash}::bytea, ${reason}::text, ${detail ?? null}::text from held
    union all
    select null::text, ${hash}::bytea, ${reason}::text, null::text
    where ${reason}::text <> 'unsubscribed' and not exists (select 1 from held)
    on conflict do nothing`.execute(db)
}

/**
 * Which of these addresses (keys) are suppressed, by their address or, once that is erased, by
 * its hash; only for `reasons` if given. The one check every send and every subscription path
 * makes: alerts and digests stop for any reason, every other email (a campaign's updates too) for
 * NEVER_AGAIN.
 */
export async function suppressedAmong(
  db: Db | Trx,
  secret: string,
  emailKeys: readonly string[],
  reasons?: readonly SuppressionReason[],
): Promise<Set<string>> {
  if (emailKeys.length === 0) return new Set()
  const hashes = new Map(emailKeys.map((k) => [addressHash(secret, k).toString('hex'), k]))
  const rows = await db
    .selectFrom('suppressions')
    .select(['email_key', 'address_hash'])
    .where((eb) =>
      eb.or([
        eb('email_key', 'in', emailKeys),
        eb(
          'address_hash',
          'in',
          [...hashes.keys()].map((h) => Buffer.from(h, 'hex')),
        ),
      ]),
    )
    .$if(reasons !== undefined, (q) => q.where('reason', 'in', reasons!))
    .execute()
  const found = new Set<string>()
  for (const r of rows) {
    if (r.email_key !== null) found.add(r.email_key)
    const byHash = r.address_hash && hashes.get(r.address_hash.toString('hex'))
    if (byHash) found.add(byHash)
  }
  return new Set(emailKeys.filter((k) => found.has(k)))
}

/**
 * A confirmed opt-in lifts an unsubscribe of the address: the person just asked for mail again.
 * Never a bounce or a complaint: the erasure page promises that such an address is never written
 * to again, and a subscription, a signature with "alerts" ticked, or a confirm link mailed before
 * the bounce are no proof that the mailbox takes mail now or wants it.
 */
export function liftUnsubscribe(trx: Trx, emailKey: string) {
  return trx.deleteFrom('suppressions').where('email_key', '=', emailKey).where('reason', '=', 'unsubscribed').execute()
}

/**
 * Before the subscriber of an address goes (an erasure): its bounce or complaint keeps only the
 * address's hash, without the SMTP answer; an unsubscribe goes with the subscriber.
 */
export function keepSuppressionWithoutAddress(trx: Trx, secret: string, emailKey: string) {
  return trx
    .updateTable('suppressions')
    .set({
      email_key: null,
      detail: null,
      address_hash: sql<Buffer>`coalesce(address_hash, ${addressHash(secret, emailKey)})`,
    })
    .where('email_key', '=', emailKey)
    .where('reason', 'in', NEVER_AGAIN)
    .execute()
}

/**
 * The provinces of published reports, to follow. Reports may name one province in several
 * languages (a report written as 지린성 and translated as Jilin): each choice gathers its names,
 * keyed by its English name where one is known, and `keys` holds every name a stored topic may
 * have been saved under.
 */
export async function knownProvinces(db: Db) {
  const rows = await db
    .selectFrom('reports')
    .where('status', '=', 'published')
    .select(['province', 'locale'])
    .select(locales.map((l) => translatedProvince(l).as(l)))
    .distinct()
    .execute()
  const choices = new Map<
    string,
    { value: string; label: string; names: Partial<Record<Locale, string>>; keys: Set<string> }
  >()
  for (const r of rows) {
    const names: Partial<Record<Locale, string>> = {}
    for (const l of locales) if (r[l]) names[l] = r[l]!
    names[r.locale] = r.province
    const value = normaliseProvince(names.en ?? r.province)
    const choice = choices.get(value) ?? { value, label: r.province, names: {}, keys: new Set<string>() }
    for (const l of locales) choice.names[l] ??= names[l]
    for (const name of Object.values(names)) {
      choice.keys.add(normaliseProvince(name))
      choice.keys.add(name.trim().toLowerCase()) // as topics were stored before known names
    }
    choices.set(value, choice)
  }
  return [...choices.values()].map((c) => ({ ...c, keys: [...c.keys] }))
}

/**
 * How a province topic is stored and compared: a province this knows by its English name (so
 * "吉林省", "Jilin Province" and "지린" are one topic), any other as written; lowercased.
 */
export function normaliseProvince(province: string): string {
  return (knownProvince(province, undefined, 'en') ?? province).trim().toLowerCase()
}

/**
 * An import's batch, in one statement: each address not known yet is inserted pending with the
 * batch's topics and gets its `subscriber.confirm` outbox row, as a subscription through the
 * alerts page does (insertOrNoteRepeat); a known address is left alone and gets nothing.
 * Returns the keys inserted, and of the others those first written since `since` (by this import).
 */
export async function insertPendingBatch(
  db: Db,
  rows: { email: string; emailKey: string; locale: string; nonce: Buffer }[],
  request: { topicAll: boolean; campaignIds: string[]; provinces: string[]; confirmExpiresAt: Date },
  since: Date,
) {
  const { rows: inserted } = await sql<{ email_key: string }>`
    with input as (
      select * from unnest(${rows.map((r) => r.email)}::text[], ${rows.map((r) => r.emailKey)}::text[],
        ${rows.map((r) => r.locale)}::text[], ${rows.map((r) => r.nonce)}::bytea[]) as i(email, email_key, locale, nonce)
    ), inserted as (
      insert into subscribers (email, email_key, locale, frequency, status, topic_all, nonce, confirm_expires_at, last_emailed_at)
      select email, email_key, locale, 'immediate', 'pending', ${request.topicAll}, nonce, ${request.confirmExpiresAt}, now()
        from input
      on conflict (email_key) do nothing
      returning id, email_key
    ), campaigns_added as (
      insert into subscriber_campaigns (subscriber_id, campaign_id)
      select inserted.id, c from inserted, unnest(${request.campaignIds}::bigint[]) c
      on conflict do nothing
    ), provinces_added as (
      insert into subscriber_provinces (subscriber_id, province)
      select inserted.id, p from inserted, unnest(${request.provinces}::text[]) p
      on conflict do nothing
    ), queued as (
      insert into outbox (kind, payload)
      select 'subscriber.confirm', jsonb_build_object('subscriberId', inserted.id::text) from inserted
    )
    select email_key from inserted`.execute(db)
  const added = new Set(inserted.map((r) => r.email_key))
  const others = rows.map((r) => r.emailKey).filter((k) => !added.has(k))
  const sinceRows = others.length
    ? await db
        .selectFrom('subscribers')
        .select('email_key')
        .where('email_key', 'in', others)
        .where('created_at', '>=', since)
        .execute()
    : []
  return { inserted: added, addedEarlier: new Set(sinceRows.map((r) => r.email_key)) }
}

/** The database's clock, which `created_at` is written by. */
export async function databaseNow(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db)
  return rows[0]!.now
}

/** Addresses for an operator's export, in batches after `afterId`; erased ones are not addresses. */
export function exportBatch(db: Db, statuses: readonly SubscriberStatus[], afterId: string, limit: number) {
  return db
    .selectFrom('subscribers')
    .select(['id', 'email', 'locale', 'frequency', 'status', 'created_at', 'confirmed_at'])
    .where('status', 'in', statuses)
    .where('email', '<>', '')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
}

export async function countForExport(db: Db, statuses: readonly SubscriberStatus[]) {
  const row = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', statuses)
    .where('email', '<>', '')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
