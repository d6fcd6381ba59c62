import type { Db, Trx } from '../../db/index.ts'
import type { SelectQueryBuilder } from 'kysely'
import type { AuditVia, Database } from '../../db/types.ts'
import { keyed, type KeyRequest } from '../paging.ts'

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

/** What the audit log is searched by: one action, and a time range. */
export interface AuditFilter {
  action?: string | undefined
  from?: Date | undefined
  before?: Date | undefined
}

function filtered<O>(q: SelectQueryBuilder<Database, 'audit_log' | 'organizers', O>, f: AuditFilter) {
  if (f.action) q = q.where('audit_log.action', '=', f.action)
  if (f.from) q = q.where('audit_log.at', '>=', f.from)
  if (f.before) q = q.where('audit_log.at', '<', f.before)
  return q
}

/** Newest first, one page by key, with the actor's name and address for the admin reading it. */
export function page(db: Db, f: AuditFilter, request: KeyRequest, size: number) {
  const k = keyed('audit_log.at', 'audit_log.id', 'timestamptz', request)
  const q = db
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
    .select(k.sortKey)
  return filtered(q, f)
    .where(k.where)
    .orderBy('audit_log.at', k.order)
    .orderBy('audit_log.id', k.order)
    .limit(size + 1)
    .execute()
}

export async function count(db: Db, f: AuditFilter) {
  const q = db
    .selectFrom('audit_log')
    .leftJoin('organizers', 'organizers.id', 'audit_log.actor_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
  return Number((await filtered(q, f).executeTakeFirstOrThrow()).n)
}

export async function actions(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
  return rows.map((r) => r.action)
}
