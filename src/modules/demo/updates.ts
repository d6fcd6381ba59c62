// The founding campaign's prepared update: posted and emailed to its signers when the count
// reaches the goal (a milestone). Nothing here is news that has not happened; it says what the
// campaign will do with the signatures.
import type { Db } from '../../db/index.ts'
import type { SystemActor } from '../audit/service.ts'
import { milestonesOf, setMilestone } from '../updates/milestones.ts'

export const DEMO_MILESTONE = {
  threshold: 10_000,
  kind: 'update' as const,
  lang: 'en' as const,
  notify: true,
  title: '10,000 signatures: the petition goes to the people who decide',
  body: `Thank you: 10,000 of us have signed.

We are delivering the petition, with your names where you chose to show them, to China's Ministry of Foreign Affairs, its embassy in Seoul and the UN Refugee Agency's office in Beijing, and asking South Korea's Ministry of Unification to raise the case.

We will write again when they answer, and when we learn what happens to the people held in detention.`,
}

/** Prepares the milestone once; a campaign that has milestones already (an organizer's) keeps them. */
export async function loadDemoMilestone(db: Db, actor: SystemActor, campaign: { id: string; slug: string }) {
  if ((await milestonesOf(db, campaign.id)).length > 0) return 0
  await setMilestone(db, actor, campaign.slug, DEMO_MILESTONE)
  return 1
}
