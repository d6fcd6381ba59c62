// Who runs this installation: the organisation, a contact address and a few words per language,
// set by an admin and audited; the About and privacy pages read them.
import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { Locale } from '../../db/types.ts'
import { record, type Actor } from '../audit/service.ts'

export interface About {
  organisation: string
  contactEmail: string
  texts: Partial<Record<Locale, string>>
}

/** The installation's About, or undefined until an admin has said who runs it. */
export async function findAbout(db: Db): Promise<About | undefined> {
  const row = await db
    .selectFrom('site_about')
    .select(['organisation', 'contact_email', 'texts'])
    .where('id', '=', 1)
    .executeTakeFirst()
  return row && { organisation: row.organisation, contactEmail: row.contact_email, texts: row.texts }
}

/** Sets the About in one statement with its audit row; the texts left empty are dropped. */
export async function setAbout(db: Db, actor: Actor, about: About) {
  const texts = Object.fromEntries(Object.entries(about.texts).filter(([, text]) => text?.trim()))
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('site_about')
      .values({
        id: 1,
        organisation: about.organisation,
        contact_email: about.contactEmail,
        texts: JSON.stringify(texts),
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          organisation: about.organisation,
          contact_email: about.contactEmail,
          texts: JSON.stringify(texts),
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute()
    await record(trx, actor, 'site.about', { type: 'site' }, { organisation: about.organisation })
  })
}
