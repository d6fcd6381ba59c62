// The audit trail of every organizer or system change and every export of personal data, written in
// the change's own transaction. What the public does for itself (sign, subscribe, erase) is not here.
import type { Db, Trx } from '../../db/index.ts'
import type { AuditVia } from '../../db/types.ts'
import { keyPageOf, PAGE_SIZE, type KeyPaged, type KeyRequest } from '../paging.ts'
import * as audit from './repository.ts'

/** Who acts: an organizer through the console or the API, or one of our own processes. */
export type Actor = OrganizerActor | SystemActor

export interface OrganizerActor {
  id: string
  via: Exclude<AuditVia, 'system'>
}

/** The processes that change things on nobody's behalf. */
export type SystemName = 'ticker' | 'retention' | 'cli' | 'demo'

export interface SystemActor {
  via: 'system'
  name: SystemName
}

export const systemActor = (name: SystemName): SystemActor => ({ via: 'system', name })

export function record(
  db: Db | Trx,
  actor: Actor,
  action: string,
  object: { type: string; id?: string | null | undefined },
  detail?: Record<string, unknown>,
) {
  return audit.insert(db, {
    actorId: actor.via === 'system' ? null : actor.id,
    via: actor.via,
    systemActor: actor.via === 'system' ? actor.name : null,
    action,
    objectType: object.type,
    objectId: object.id,
    detail,
  })
}

export type AuditRow = Awaited<ReturnType<typeof audit.page>>[number]

/** One page of the audit log by key, newest first, with how many entries match and the actions to filter by. */
export async function auditPage(
  db: Db,
  filter: audit.AuditFilter,
  request: KeyRequest,
): Promise<KeyPaged<AuditRow> & { total: number; actions: string[] }> {
  const [total, fetched, actions] = await Promise.all([
    audit.count(db, filter),
    audit.page(db, filter, request, PAGE_SIZE),
    audit.actions(db),
  ])
  return { ...keyPageOf(fetched, request, PAGE_SIZE, (r) => ({ sort: r.sort_key, id: r.id })), total, actions }
}
