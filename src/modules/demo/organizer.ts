// The demo's organizer account, so a newcomer can publish a report from the console and see
// the alert it sends. Only `npm run demo` calls this; it never runs in production.
import type { Db } from '../../db/index.ts'
import { hashPassword, randomSecret } from '../../security.ts'
import * as accounts from '../accounts/repository.ts'
import { systemActor } from '../audit/service.ts'
import { createOrganizer } from '../organizers/service.ts'
import * as organizers from '../organizers/repository.ts'

export const DEMO_ORGANIZER = 'demo@example.org'

/**
 * Creates the demo admin if missing, and gives it a fresh password each run (printed once). It
 * skips the first-login change organizer:create asks for: the demo runs on the newcomer's own
 * machine, and the way from signing to seeing an alert should not pass through a password form.
 */
export async function demoOrganizerPassword(db: Db): Promise<string> {
  const existing = await organizers.findIdByEmail(db, DEMO_ORGANIZER)
  const id =
    existing?.id ??
    (await createOrganizer(db, systemActor('demo'), { email: DEMO_ORGANIZER, name: 'Demo organizer', role: 'admin' }))
      .id
  const password = randomSecret(18)
  await accounts.setPassword(db, id, await hashPassword(password), { chosenByOwner: true })
  return password
}
