import type { Db, Trx } from '../../db/index.ts'
import type { AuditVia } from '../../db/types.ts'

export interface AuditEntry {
  actorId: string | null
  via: AuditVia
  systemActor: string | null
  action: string
  objectType: string
  objectId?: string | null | undefined
  detail?: Record<string, unknown> | undefined
}

/** Append only: the table's trigger refuses UPDATE, DELETE and TRUNCATE. */
export function insert(db: Db | Trx, e: AuditEntry) {
  return db
    .insertInto('audit_log')
    .values({
      actor_id: e.actorId,
      via: e.via,
      system_actor: e.systemActor,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .execute()
}

/** Newest first, one page, with the actor's name and address for the admin reading it. */
export function page(
  db: Db,
  { limit, offset, action }: { limit: number; offset: number; action?: string | undefined },
) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('organizers', 'organizers.id', 'audit_log.actor_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.via',
      'audit_log.system_actor',
      'audit_log.action',
      'audit_log.object_type',
      'audit_log.object_id',
      'audit_log.detail',
      'organizers.email as actor_email',
    ])
  if (action) q = q.where('audit_log.action', '=', action)
  return q.orderBy('audit_log.id', 'desc').limit(limit).offset(offset).execute()
}

export async function count(db: Db, action?: string) {
  let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n'))
  if (action) q = q.where('action', '=', action)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

export async function actions(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
  return rows.map((r) => r.action)
}
