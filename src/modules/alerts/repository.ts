import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { AlertKind, AlertStatus, FanoutPhase } from '../../db/types.ts'

/**
 * Who an alert's deliveries go to in a phase of its fan-out: a report's alert to subscribers, an
 * update's to the signatures of its campaign and then to its letter writers. The column is the
 * recipient's id, unique per alert, and the fan-out's cursor within the phase.
 */
function recipientColumn(kind: AlertKind, phase: FanoutPhase) {
  if (kind !== 'update') return 'subscriber_id' as const
  return phase === 'letters' ? ('letter_id' as const) : ('signature_id' as const)
}

const uniqueRecipient = {
  subscriber_id: 'deliveries_alert_subscriber',
  signature_id: 'deliveries_alert_signature',
  letter_id: 'deliveries_alert_letter',
} as const

/** The phases of an alert's fan-out, in order: an update's letter writers after its signers. */
export const fanoutPhases = (kind: AlertKind): FanoutPhase[] => (kind === 'update' ? ['main', 'letters'] : ['main'])

/**
 * Every column a delivery's recipient may be in, the last phase's first: while an update's letter
 * writers are being sent, the probe of their column finds an unsent row at once, and the probe of
 * its settled signers' is not walked after every batch.
 */
const RECIPIENT_COLUMNS = ['letter_id', 'signature_id', 'subscriber_id'] as const

export async function insertAlert(trx: Trx, reportId: string, kind: 'report' | 'retraction') {
  const row = await trx
    .insertInto('alerts')
    .values({ report_id: reportId, kind })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The alert of a campaign update, fanned out to the campaign's signers. */
export async function insertUpdateAlert(trx: Trx, updateId: string) {
  const row = await trx
    .insertInto('alerts')
    .values({ update_id: updateId, kind: 'update' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function findAlert(db: Db | Trx, id: string) {
  return db
    .selectFrom('alerts')
    .select([
      'id',
      'report_id',
      'update_id',
      'kind',
      'status',
      'fanout_cursor',
      'fanout_phase',
      'created_at',
      'fanned_out_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}

export type AlertRow = NonNullable<Awaited<ReturnType<typeof findAlert>>>

export function setAlertStatus(db: Db | Trx, id: string, from: AlertStatus[], to: AlertStatus) {
  return db
    .updateTable('alerts')
    .set({ status: to })
    .where('id', '=', id)
    .where('status', 'in', from)
    .returning('status')
    .executeTakeFirst()
}

/**
 * The recipients after `cursor`, by subscriber id, a page at a time: immediate subscribers whose
 * topics match (everything, the report's campaign or its province). For a retraction: those
 * who were sent the report. For an update: the campaign's confirmed signatures, not held, whose
 * signer did not opt out, by signature id (one per address and campaign); then, in its letters
 * phase, the confirmed letters whose writer did not opt out and has no confirmed signature on
 * the campaign (those hear as signers, or chose not to), by letter id. Keyset paging keeps
 * memory flat at any list size; `pageSize` null (Postgres's `limit null`) is all of them, for a count.
 */
function recipientsAfter(
  db: Db,
  alert: Pick<AlertRow, 'kind' | 'report_id' | 'update_id'>,
  phase: FanoutPhase,
  cursor: string,
  pageSize: number | null,
  provinceKeys: string[],
) {
  const campaignOfUpdate = db
    .selectFrom('campaign_updates as u')
    .select('u.campaign_id')
    .where('u.id', '=', alert.update_id)
  if (alert.kind === 'update' && phase === 'letters') {
    return db
      .selectFrom('letters as l')
      .select('l.id')
      .where('l.campaign_id', '=', campaignOfUpdate)
      .where('l.status', '=', 'confirmed')
      .where('l.wants_updates', '=', true)
      .where('l.id', '>', cursor)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('signatures as g')
              .select(sql`1`.as('one'))
              .whereRef('g.campaign_id', '=', 'l.campaign_id')
              .whereRef('g.email_key', '=', 'l.email_key')
              .where('g.status', '=', 'confirmed'),
          ),
        ),
      )
      .orderBy('l.id')
      .limit(pageSize)
  }
  if (alert.kind === 'update') {
    return db
      .selectFrom('signatures as g')
      .select('g.id')
      .where('g.campaign_id', '=', campaignOfUpdate)
      .where('g.status', '=', 'confirmed')
      .where('g.wants_updates', '=', true)
      .where('g.held', '=', false)
      .where('g.id', '>', cursor)
      .orderBy('g.id')
      .limit(pageSize)
  }
  if (alert.kind === 'retraction') {
    return db
      .selectFrom('deliveries')
      .innerJoin('alerts', 'alerts.id', 'deliveries.alert_id')
      .select('deliveries.subscriber_id as id')
      .where('alerts.report_id', '=', alert.report_id)
      .where('alerts.kind', '=', 'report')
      .where('deliveries.status', '=', 'sent')
      .where('deliveries.subscriber_id', '>', cursor)
      .orderBy('deliveries.subscriber_id')
      .limit(pageSize)
  }
  const report = db.selectFrom('reports').where('reports.id', '=', alert.report_id)
  return db
    .selectFrom('subscribers as s')
    .select('s.id')
    .where('s.status', '=', 'active')
    .where('s.frequency', '=', 'immediate')
    .where('s.id', '>', cursor)
    .where((eb) =>
      eb.or([
        eb('s.topic_all', '=', true),
        eb.exists(
          eb
            .selectFrom('subscriber_campaigns as sc')
            .select(sql`1`.as('one'))
            .whereRef('sc.subscriber_id', '=', 's.id')
            .where('sc.campaign_id', '=', report.select('reports.campaign_id')),
        ),
        provinceKeys.length === 0
          ? eb.val(false)
          : eb.exists(
              eb
                .selectFrom('subscriber_provinces as sp')
                .select(sql`1`.as('one'))
                .whereRef('sp.subscriber_id', '=', 's.id')
                .where('sp.province', 'in', provinceKeys),
            ),
      ]),
    )
    .orderBy('s.id')
    .limit(pageSize)
}

/**
 * How many subscribers a report's alert would reach if it were published now, by language: the
 * fan-out's own choice of recipients, counted (the console shows it before the button).
 */
export async function reportReachByLocale(db: Db, reportId: string, provinceKeys: string[]) {
  const alert = { kind: 'report' as const, report_id: reportId, update_id: null }
  const recipients = recipientsAfter(db, alert, 'main', '0', null, provinceKeys)
  const rows = await db
    .selectFrom('subscribers')
    .select(['locale', (eb) => eb.fn.countAll<string>().as('n')])
    .where('id', 'in', recipients)
    .groupBy('locale')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.locale, Number(r.n)])) as Record<string, number>
}

/**
 * One page of the fan-out in one statement: the next recipients after `cursor` get a delivery
 * row each (unique per alert and subscriber), and back come the page's last subscriber id (null
 * past the end) and the ids of its rows still to send: the new ones and, when a page is redone
 * after a crash, those not yet claimed. A row being sent or done is not returned, so it gets
 * no second job.
 */
export async function insertDeliveryPage(
  db: Db,
  alert: AlertRow,
  phase: FanoutPhase,
  cursor: string,
  pageSize: number,
  /** The report's province under every name a topic may use (provinceMatchKeys). */
  provinceKeys: string[] = [],
) {
  const recipient = recipientColumn(alert.kind, phase)
  const column = sql.ref(recipient)
  const unique = sql.ref(uniqueRecipient[recipient])
  const result = await sql<{ last: string | null; queued: string[] }>`
    with page as (${recipientsAfter(db, alert, phase, cursor, pageSize, provinceKeys)}),
    added as (
      insert into deliveries (alert_id, ${column})
      select ${alert.id}::bigint, id from page
      on conflict on constraint ${unique}
        do update set status = deliveries.status where deliveries.status = 'queued'
      returning id
    )
    select (select max(id) from page)::text as last,
      coalesce((select array_agg(id order by id)::text[] from added), '{}') as queued`.execute(db)
  return result.rows[0]!
}

/**
 * Moves the cursor past a page whose rows and jobs exist, or to the start of the next phase;
 * answers the alert's status (paused, cancelled...).
 */
export async function advanceCursor(db: Db, alertId: string, phase: FanoutPhase, cursor: string) {
  const row = await db
    .updateTable('alerts')
    .set({ fanout_phase: phase, fanout_cursor: cursor })
    .where('id', '=', alertId)
    .returning('status')
    .executeTakeFirstOrThrow()
  return row.status
}

export function finishFanout(db: Db, alertId: string) {
  return db
    .updateTable('alerts')
    .set({
      fanned_out_at: sql<Date>`now()`,
      status: sql<AlertStatus>`case when status = 'fanning-out' then 'sending' else status end`,
    })
    .where('id', '=', alertId)
    .execute()
}

/** Counts by status: the alert's progress. */
export async function progress(db: Db | Trx, alertId: string) {
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('alert_id', '=', alertId)
    .groupBy('status')
    .execute()
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>
  return {
    recipients: rows.reduce((sum, r) => sum + Number(r.n), 0),
    queued: (by.queued ?? 0) + (by.sending ?? 0),
    sent: by.sent ?? 0,
    failed: by.failed ?? 0,
    suppressed: by.suppressed ?? 0,
    cancelled: by.cancelled ?? 0,
  }
}

export interface ClaimedSend {
  id: string
  alert_id: string
  alert_status: AlertStatus
  report_id: string | null
  update_id: string | null
  kind: AlertKind
  /** What the recipient is: a subscriber (a report's alert), or for an update a signature or a letter. */
  recipient_kind: 'subscriber' | 'signature' | 'letter'
  /** The subscriber's id, or for an update the signature's or letter's. */
  recipient_id: string
  email: string
  email_key: string
  locale: string
  /** The nonce its links are made of: the subscriber's, or the signature's or letter's confirm nonce. */
  nonce: Buffer
  /**
   * Still wants it: an active subscriber, a confirmed signature not held whose signer did not opt
   * out, or a confirmed letter whose writer did not.
   */
  recipient_active: boolean
}

/**
 * Claims deliveries for sending (queued, or stuck in sending long enough that their worker died)
 * and returns, in the same round trip, everything the sends need but whether the address is
 * suppressed (subscribers' suppressedAmong, asked right after): each alert's state and the
 * recipient, a subscriber or a signature. Ids not returned are done, or held by another attempt.
 */
export async function claimForSend(db: Db, ids: readonly string[], staleAfterSeconds: number): Promise<ClaimedSend[]> {
  if (ids.length === 0) return []
  const result = await sql<ClaimedSend>`
    with claimed as (
      update deliveries d
      set status = 'sending', claimed_at = now(), attempts = d.attempts + 1
      where d.id = any(${ids}::bigint[])
        and (d.status = 'queued' or (d.status = 'sending' and d.claimed_at < now() - make_interval(secs => ${staleAfterSeconds})))
      returning d.id, d.alert_id, d.subscriber_id, d.signature_id, d.letter_id
    )
    select c.id, c.alert_id, a.status as alert_status, a.report_id, a.update_id, a.kind,
      case when c.subscriber_id is not null then 'subscriber'
        when c.signature_id is not null then 'signature' else 'letter' end as recipient_kind,
      coalesce(s.id, g.id, l.id) as recipient_id, coalesce(s.email, g.email, l.email) as email,
      coalesce(s.email_key, g.email_key, l.email_key) as email_key,
      coalesce(s.locale, g.locale, l.locale) as locale,
      coalesce(s.nonce, g.confirm_nonce, l.confirm_nonce) as nonce,
      case when c.subscriber_id is not null then s.status = 'active'
        when c.signature_id is not null then g.status = 'confirmed' and g.wants_updates and not g.held
        else l.status = 'confirmed' and l.wants_updates end as recipient_active
    from claimed c
    join alerts a on a.id = c.alert_id
    left join subscribers s on s.id = c.subscriber_id
    left join signatures g on g.id = c.signature_id
    left join letters l on l.id = c.letter_id`.execute(db)
  return result.rows
}

/** Which of these deliveries another attempt is sending right now. */
export async function heldElsewhere(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('deliveries')
    .select('id')
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute()
  return rows.map((r) => r.id)
}

export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'suppressed' | 'cancelled'
export interface DeliveryOutcome {
  id: string
  status: DeliveryStatus
  response: string | null
}

/** Records many sends' outcomes in one statement; `queued` gives a row back to be sent later. */
export async function finishDeliveries(db: Db, outcomes: readonly DeliveryOutcome[]) {
  if (outcomes.length === 0) return
  await sql`
    update deliveries d
    set status = v.status, smtp_response = v.response,
      sent_at = case when v.status = 'sent' then now() else d.sent_at end,
      claimed_at = case when v.status = 'queued' then null else d.claimed_at end
    from unnest(${outcomes.map((o) => o.id)}::bigint[], ${outcomes.map((o) => o.status)}::text[],
      ${outcomes.map((o) => o.response)}::text[]) as v(id, status, response)
    where d.id = v.id`.execute(db)
}

/**
 * Marks failed, with `reason`, the deliveries among these still queued or claimed: their job
 * has failed for good, so no attempt of it will send or settle them, however recent the claim
 * (the attempt that died on them made it). Should another job still be sending one of them (a
 * fan-out page redone), its record of the outcome overwrites this. Settled rows keep theirs.
 */
export function abandonDeliveries(db: Db, ids: readonly string[], reason: string) {
  return db
    .updateTable('deliveries')
    .set({ status: 'failed', smtp_response: reason })
    .where('id', 'in', ids)
    .where('status', 'in', ['queued', 'sending'])
    .executeTakeFirst()
}

/** The statuses an alert leaves for `done` once nothing is left to send; a cancelled one stays cancelled. */
export const completable: readonly AlertStatus[] = ['sending', 'paused']

/**
 * Marks done, in one statement, the alerts among these that are fanned out and have no delivery
 * queued or being sent. Runs after every settled batch and after the fan-out's last page, each
 * after its own writes have committed, so whichever check starts last sees every row settled,
 * however many workers finish at once; a second check finds the alert done and changes nothing.
 * A paused alert with nothing left to hold is done too: else a pause that lands between the last
 * send and this check would leave it paused, and after a resume sending, for ever.
 * The unsettled row is looked for from the highest subscriber id down: sends go out in fan-out
 * order, so while any are left one is found within a few rows, not after every sent one (the
 * `deliveries` table has no index on status, see migration 20261128040000). Each recipient column
 * is searched by its own unique index; an alert's rows have the ones its kind uses.
 */
function completeDrained(db: Db | Trx) {
  return db
    .updateTable('alerts')
    .set({ status: 'done' })
    .where('status', 'in', completable)
    .where('fanned_out_at', 'is not', null)
    .where((eb) =>
      eb.and(
        RECIPIENT_COLUMNS.map((column) =>
          eb(
            eb
              .selectFrom('deliveries as d')
              .select('d.id')
              .whereRef('d.alert_id', '=', 'alerts.id')
              .where(`d.${column}`, 'is not', null)
              .where('d.status', 'in', ['queued', 'sending'])
              .orderBy(`d.${column}`, 'desc')
              .limit(1),
            'is',
            null,
          ),
        ),
      ),
    )
}

/** Marks an alert done once no delivery is left to send (see completeDrained); answers it if it was. */
export function completeIfDrained(trx: Trx, alertId: string) {
  return completeDrained(trx).where('id', '=', alertId).returning('id').execute()
}

/** Marks done the alerts of these deliveries that have none left to send (see completeDrained); answers those. */
export function completeAlertsOf(trx: Trx, deliveryIds: readonly string[]) {
  return completeDrained(trx)
    .where('id', 'in', (eb) =>
      eb.selectFrom('deliveries').select('deliveries.alert_id').where('deliveries.id', 'in', deliveryIds),
    )
    .returning('id')
    .execute()
}

/**
 * Marks cancelled, in one statement, the queued deliveries of an alert among the next `limit`
 * recipients after `cursor` (by the unique (alert, recipient) index); answers the last
 * recipient id looked at, or null past the end.
 */
export async function cancelQueuedPage(
  db: Db,
  alert: { id: string; kind: AlertKind },
  phase: FanoutPhase,
  cursor: string,
  limit: number,
): Promise<string | null> {
  const column = sql.ref(recipientColumn(alert.kind, phase))
  const { rows } = await sql<{ last: string | null }>`
    with page as (
      select id, ${column} as recipient from deliveries
      where alert_id = ${alert.id} and ${column} > ${cursor}
      order by ${column}
      limit ${limit}
    ), cancelled as (
      update deliveries d set status = 'cancelled'
      from page where d.id = page.id and d.status = 'queued'
    )
    select max(recipient)::text as last from page`.execute(db)
  return rows[0]?.last ?? null
}
