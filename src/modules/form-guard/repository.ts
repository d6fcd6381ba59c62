import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { FormRefusalsTable } from '../../db/types.ts'

export type RefusedForm = FormRefusalsTable['form']
export type RefusalReason = FormRefusalsTable['reason']

/** One more refusal today (UTC) for this form, campaign and reason. */
export async function countRefusal(db: Db, form: RefusedForm, campaignId: string | null, reason: RefusalReason) {
  await sql`insert into form_refusals (day, form, campaign_id, reason, count)
    values ((now() at time zone 'utc')::date, ${form}, ${campaignId}, ${reason}, 1)
    on conflict ((coalesce(campaign_id, 0)), day, form, reason)
    do update set count = form_refusals.count + 1`.execute(db)
}

/** A form's refusals of the last `days` days, newest day first; a null campaign means the subscription form's. */
export function refusalsSince(db: Db, form: RefusedForm, campaignId: string | null, days: number) {
  return db
    .selectFrom('form_refusals')
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'reason', 'count'])
    .where('form', '=', form)
    .where(sql<boolean>`coalesce(campaign_id, 0) = ${campaignId ?? 0}`)
    .where('day', '>', sql<string>`(now() at time zone 'utc')::date - ${days}::int`)
    .orderBy('day', 'desc')
    .execute()
}
