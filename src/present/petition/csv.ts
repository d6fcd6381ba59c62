// The petition's CSV attachment: one row per signer who chose to show their name, with their
// country and comment; nobody else's name is in it. Written by the export's writer (csv/writer.ts),
// so a cell that starts like a formula is neutralised.
import { translator } from '../../i18n/index.ts'
import { csvBuffer } from '../../modules/csv/writer.ts'
import type { PetitionDocument } from './document.ts'

export function petitionCsv(doc: PetitionDocument): Promise<Buffer> {
  const t = translator(doc.locale)
  const header = [
    t('petition.csv.name'),
    t('petition.csv.country'),
    t('petition.csv.countryName'),
    t('petition.csv.comment'),
    t('petition.csv.signedAt'),
  ]
  return csvBuffer(
    header,
    doc.signers.map((s) => [s.name, s.country, s.countryName, s.comment ?? '', s.signedAt]),
  )
}
