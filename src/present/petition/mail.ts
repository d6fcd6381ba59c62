// The petition's email to a target, in the target's language, with the petition as a PDF and its
// public names as a CSV. Written when the mail worker sends it, so it carries the petition as it
// stands then; its count goes back to the delivery row.
import { formatNumber } from '../../i18n/index.ts'
import * as campaigns from '../../modules/campaigns/repository.ts'
import type { Composed } from '../../modules/messages/service.ts'
import { deliveryToSend, petitionSnapshot } from '../../modules/petition-delivery/service.ts'
import type { PresentDeps } from '../email/deps.ts'
import { petitionCsv } from './csv.ts'
import { petitionDocument } from './document.ts'
import { petitionPdf } from './pdf.ts'

export async function composePetition(deps: PresentDeps, deliveryId: string): Promise<Composed> {
  const row = await deliveryToSend(deps.db, deliveryId)
  const campaign = row && (await campaigns.findBySlug(deps.db, row.slug))
  if (!row?.target_email || !campaign) return undefined
  const site = new URL(deps.config.publicUrl).host
  const target = { name: row.target_name, organisation: row.target_organisation }
  const doc = petitionDocument(campaign, await petitionSnapshot(deps.db, campaign.id), target, row.target_locale, site)
  const [pdf, csv] = await Promise.all([petitionPdf(doc), petitionCsv(doc)])
  const count = formatNumber(doc.locale, doc.count)
  const email = deps.render(
    'petition',
    doc.locale,
    { key: 'petition.mail.subject', params: { title: doc.title, count } },
    { doc, count, countries: doc.byCountry.map((c) => `${c.name}: ${formatNumber(doc.locale, c.count)}`) },
  )
  const file = `petition-${campaign.slug}-${new Date().toISOString().slice(0, 10)}`
  return {
    to: row.target_email,
    signatureCount: doc.count,
    email: {
      ...email,
      attachments: [
        { filename: `${file}.pdf`, content: pdf, contentType: 'application/pdf' },
        { filename: `${file}.csv`, content: csv, contentType: 'text/csv; charset=utf-8' },
      ],
    },
  }
}
