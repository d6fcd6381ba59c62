// The email cooldown of a mailbox: one email per inbox and subject within EMAIL_COOLDOWN_SECONDS,
// however many sub-addresses (victim+1@, victim+2@...) the requests named. Keyed by a keyed hash
// of the base mailbox and the subject, never the address.
import { sql } from 'kysely'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { hmac } from '../../security.ts'
import { baseMailbox } from '../email-key.ts'

/** The key of an inbox and a subject ("campaign:12", "alerts", "erasure"). */
export function cooldownKey(config: Config, address: string, subject: string): Buffer {
  return hmac(config.secretKey, 'mail-cooldown', `${baseMailbox(address)}\n${subject}`)
}

/**
 * Takes the inbox's turn for `outboxId`, atomically: true when nobody emailed it about this
 * subject within the cooldown, or when this same outbox row took it before (its job retried
 * after a failed send, or delayed by the domain cap, still sends).
 */
export async function claim(db: Db, key: Buffer, outboxId: string, cooldownSeconds: number): Promise<boolean> {
  const row = await db
    .insertInto('mail_cooldowns')
    .values({ key, outbox_id: outboxId, emailed_at: sql<Date>`clock_timestamp()` })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ emailed_at: sql<Date>`clock_timestamp()`, outbox_id: sql<string>`excluded.outbox_id` })
        .where((eb) =>
          eb.or([
            eb(
              'mail_cooldowns.emailed_at',
              '<=',
              sql<Date>`clock_timestamp() - make_interval(secs => ${cooldownSeconds})`,
            ),
            eb('mail_cooldowns.outbox_id', '=', outboxId),
          ]),
        ),
    )
    .returning('key')
    .executeTakeFirst()
  return row !== undefined
}

/** The campaign a signature email is about: its cooldown subject. */
export async function campaignOfSignature(db: Db, signatureId: string): Promise<string | undefined> {
  const row = await db.selectFrom('signatures').select('campaign_id').where('id', '=', signatureId).executeTakeFirst()
  return row?.campaign_id
}

/** Rows past the cooldown decide nothing any more: deleted in batches, by the hourly retention run. */
export async function forgetPast(db: Db, cooldownSeconds: number, batchSize = 5000): Promise<number> {
  let total = 0
  for (;;) {
    const result = await db
      .deleteFrom('mail_cooldowns')
      .where(
        'key',
        'in',
        db
          .selectFrom('mail_cooldowns')
          .select('key')
          .where('emailed_at', '<=', sql<Date>`now() - make_interval(secs => ${cooldownSeconds})`)
          .limit(batchSize),
      )
      .executeTakeFirst()
    const n = Number(result.numDeletedRows)
    total += n
    if (n < batchSize) return total
  }
}
