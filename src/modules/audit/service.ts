// The audit trail: every change made through the console or the API, and every export of
// personal data. Written in the same transaction as the change it describes, so neither can
// exist without the other.
import type { Db, Trx } from '../../db/index.ts'
import type { AuditVia } from '../../db/types.ts'
import { pageOf, type Paged } from '../paging.ts'
import * as audit from './repository.ts'

/** Who acts: an organizer through the console or the API. */
export interface Actor {
  id: string
  via: Exclude<AuditVia, 'system'>
}

export function record(
  db: Db | Trx,
  actor: Actor | null,
  action: string,
  object: { type: string; id?: string | null | undefined },
  detail?: Record<string, unknown>,
) {
  return audit.insert(db, {
    actorId: actor?.id ?? null,
    via: actor?.via ?? 'system',
    action,
    objectType: object.type,
    objectId: object.id,
    detail,
  })
}

export type AuditRow = Awaited<ReturnType<typeof audit.page>>[number]

export async function auditPage(db: Db, page: number, action?: string): Promise<Paged<AuditRow> & { actions: string[] }> {
  const total = await audit.count(db, action)
  const p = pageOf(page, total)
  const [rows, actions] = await Promise.all([audit.page(db, { limit: p.size, offset: p.offset, action }), audit.actions(db)])
  return { ...p, rows, actions }
}
