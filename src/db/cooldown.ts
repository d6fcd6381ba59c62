import { sql } from 'kysely'

/**
 * Whether `column`, the time we last emailed an address, lies within the email cooldown. Against
 * the clock, not the transaction's start (`now()`): a decision that waited on the row lock while
 * another one emailed must not find that email in its future, or a cooldown of 0 would still
 * swallow the second of two repeats.
 */
export function emailedWithin(column: string, cooldownSeconds: number) {
  return sql<boolean>`coalesce(${sql.ref(column)} > clock_timestamp() - make_interval(secs => ${cooldownSeconds}), false)`
}
