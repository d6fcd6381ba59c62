import type { UpdateRow } from '../../modules/updates/repository.ts'

/** An update as the API shows it: public once posted (it is on the campaign page). */
export function updateJson(u: UpdateRow & { alert_id?: string | null }) {
  return {
    id: u.id,
    kind: u.kind,
    title: u.title,
    body: u.body,
    lang: u.lang,
    outcome: u.outcome,
    createdAt: u.created_at.toISOString(),
  }
}
