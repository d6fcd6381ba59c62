// The subscriber list for an operator (`subscribers:export`): addresses are personal data, so the
// export is audited before the first byte leaves, and written as CSV that subscribers:import
// reads back (an `email` and a `locale` column).
import type { Db } from '../../db/index.ts'
import type { SubscriberStatus } from '../../db/types.ts'
import { record, type Actor } from '../audit/service.ts'
import { csvStream, type Cell } from '../csv/writer.ts'
import * as subscribers from './repository.ts'

const EXPORT_BATCH = 2000

export async function exportSubscribersCsv(db: Db, actor: Actor, statuses: readonly SubscriberStatus[]) {
  const rows = await subscribers.countForExport(db, statuses)
  await record(db, actor, 'subscribers.export', { type: 'subscribers' }, { format: 'csv', statuses, rows })
  async function* records(): AsyncGenerator<Cell[]> {
    let after = '0'
    for (;;) {
      const batch = await subscribers.exportBatch(db, statuses, after, EXPORT_BATCH)
      if (batch.length === 0) return
      for (const s of batch) yield [s.email, s.locale, s.frequency, s.status, s.created_at, s.confirmed_at]
      after = batch[batch.length - 1]!.id
    }
  }
  return {
    rows,
    stream: csvStream(['email', 'locale', 'frequency', 'status', 'created_at', 'confirmed_at'], records()),
  }
}
