// The demo campaign's targets (issue 15): the bodies the founding case's advocates write to. Only
// their public websites are real. Every email is an example.org address, demo data that reaches
// nobody; set the real contact points (with a source) before a live campaign uses them.
import type { Db } from '../../db/index.ts'
import type { Actor } from '../audit/service.ts'
import { nameTargets } from '../campaigns/service.ts'
import { campaignTargetIds, ensureTarget, type TargetFields } from '../targets/service.ts'

const demoTargets: TargetFields[] = [
  {
    name: 'Minister of Foreign Affairs',
    title: 'Minister',
    organisation: 'Ministry of Foreign Affairs of the People’s Republic of China',
    country: 'CN',
    locale: 'zh',
    email: 'mfa-china.demo@example.org', // demo data, not the ministry's address
    postalAddress: null,
    website: 'https://www.mfa.gov.cn/',
    platformOnly: false,
  },
  {
    name: 'Ambassador of the People’s Republic of China to the Republic of Korea',
    title: 'Ambassador',
    organisation: 'Embassy of the People’s Republic of China in the Republic of Korea',
    country: 'KR',
    locale: 'zh',
    email: 'china-embassy-seoul.demo@example.org', // demo data, not the embassy's address
    postalAddress: null,
    website: 'http://kr.china-embassy.gov.cn/',
    platformOnly: false,
  },
  {
    name: 'UNHCR Representative in China',
    title: 'Representative',
    organisation: 'UNHCR Representation in Beijing',
    country: 'CN',
    locale: 'en',
    // demo data: a contact an organisation asks us not to publish goes through the platform only
    email: 'unhcr-beijing.demo@example.org',
    postalAddress: null,
    website: 'https://www.unhcr.org/cn/',
    platformOnly: true,
  },
  {
    name: 'Minister of Unification',
    title: 'Minister',
    organisation: 'Ministry of Unification of the Republic of Korea',
    country: 'KR',
    locale: 'ko',
    email: 'unikorea.demo@example.org', // demo data, not the ministry's address
    postalAddress: null,
    website: 'https://www.unikorea.go.kr/',
    platformOnly: false,
  },
]

/**
 * Makes the demo targets that are not there yet and, if the campaign names none, names them all.
 * A campaign whose targets an organizer has chosen keeps them. Answers how many targets were made.
 */
export async function loadDemoTargets(db: Db, actor: Actor, campaign: { id: string; slug: string }): Promise<number> {
  let made = 0
  const ids: string[] = []
  for (const target of demoTargets) {
    const { id, created } = await ensureTarget(db, actor, target)
    ids.push(id)
    if (created) made++
  }
  if ((await campaignTargetIds(db, campaign.id)).length === 0) await nameTargets(db, actor, campaign.slug, ids)
  return made
}
