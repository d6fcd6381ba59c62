// Domains that accept any address: one network signing with many different addresses at one
// domain within an hour is how fakes are confirmed by the thousand. Found by a query when the
// console asks, over the campaign's signatures that still carry a network hash; nothing is
// blocked, the organizer decides (bulk invalidation, by domain and network).
import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/** Different addresses at one domain from one network within WINDOW that flag the domain. */
export const CATCH_ALL_ADDRESSES = 10
const WINDOW = '1 hour'

/**
 * Each (network, domain) of a campaign where some CATCH_ALL_ADDRESSES signatures fell within
 * WINDOW, with how many signatures that pair has (invalidated ones aside), when it was first and
 * last seen, and one of its signatures (for the invalidation filter "same network as").
 * Each row of a campaign has its own address (unique per campaign and normalised address), so
 * counting rows counts different local parts: the tenth row of a pair less than WINDOW after its
 * first-but-nine is the flag.
 */
export function catchAllDomains(db: Db, campaignId: string, limit: number) {
  return sql<{ domain: string; ip_hash: Buffer; n: string; first_at: Date; last_at: Date; example_id: string }>`
    with seen as (
      select id, ip_hash, split_part(email_key, '@', 2) as domain, created_at,
             created_at - lag(created_at, ${CATCH_ALL_ADDRESSES - 1}) over pair as span
      from signatures
      where campaign_id = ${campaignId} and ip_hash is not null and status <> 'invalidated'
      window pair as (partition by ip_hash, split_part(email_key, '@', 2) order by created_at, id)
    )
    select domain, ip_hash, count(*) as n, min(created_at) as first_at, max(created_at) as last_at,
           min(id) as example_id
    from seen
    group by ip_hash, domain
    having bool_or(span <= interval '${sql.raw(WINDOW)}')
    order by count(*) desc, domain
    limit ${limit}`
    .execute(db)
    .then((r) => r.rows)
}
