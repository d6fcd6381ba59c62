// The founding case's incident reports (shared/domain.md), from one Human Rights Watch dispatch.
import type { Db } from '../../db/index.ts'
import type { NewReport } from '../reports/repository.ts'
import * as reports from '../reports/repository.ts'

const source = {
  sourceName: 'Human Rights Watch, “China to Forcibly Return Refugees to North Korea” (Lina Yoon, 22 July 2021)',
  sourceUrl: 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
  confidence: 'credible',
  country: 'CN',
} as const

// The dispatch gives the numbers held "at that time", so the detentions carry its date.
const heldOn = '2021-07-22'
const held = (count: number) =>
  `At least ${count} North Koreans were believed held here, part of at least 1,170 held in Chinese detention ` +
  'according to sources with local contacts. North Korea reopened its border on 14 July 2021, ' +
  'which raised the risk that they would be forcibly returned.'

type DemoReport = Omit<NewReport, 'campaignId' | 'createdBy' | 'sourceName' | 'sourceUrl' | 'confidence' | 'country'>

export const demoReports: readonly DemoReport[] = [
  {
    occurredOn: heldOn,
    placeName: 'Changchun (prison)',
    province: 'Jilin',
    peopleCount: 450,
    kind: 'detention',
    summary:
      'About 450 North Korean men are held in a prison in Changchun, serving sentences for alleged crimes; ' +
      'they are to be deported to North Korea when their terms end. They are part of at least 1,170 North ' +
      'Koreans believed held in Chinese detention according to sources with local contacts.',
  },
  { occurredOn: heldOn, placeName: 'Tumen', province: 'Jilin', peopleCount: 325, kind: 'detention', summary: held(325) },
  { occurredOn: heldOn, placeName: 'Changbai county', province: 'Jilin', peopleCount: 47, kind: 'detention', summary: held(47) },
  { occurredOn: heldOn, placeName: 'Linjiang', province: 'Jilin', peopleCount: 104, kind: 'detention', summary: held(104) },
  { occurredOn: heldOn, placeName: 'Dandong', province: 'Liaoning', peopleCount: 180, kind: 'detention', summary: held(180) },
  { occurredOn: heldOn, placeName: 'Shenyang', province: 'Liaoning', peopleCount: 64, kind: 'detention', summary: held(64) },
  {
    // "Mid-July": the day and the crossing are not in the dispatch. Liaoning, where Dandong is the
    // main crossing to North Korea, is a judgement call, and the summary says so.
    occurredOn: '2021-07-15',
    placeName: 'China–North Korea border',
    province: 'Liaoning',
    peopleCount: 50,
    kind: 'forced-return',
    summary:
      'In mid-July 2021, days after North Korea reopened its border on 14 July, Chinese authorities forcibly ' +
      'returned close to 50 North Korean refugees to North Korea. The exact day and crossing point are not ' +
      'reported; the date here is approximate and the province (Liaoning) is our best estimate. Returnees ' +
      'face torture, imprisonment, sexual violence and forced labour.',
  },
]

/**
 * Adds the demo reports the campaign does not have yet, already published, and returns how many it
 * added. They are inserted as published directly, not through reports/service.publishReport,
 * because publishing is what sends alerts: loading demo data must not email every subscriber
 * about a 2021 event as if it were news. The lock keeps two concurrent loads from adding twice.
 */
export async function loadDemoReports(db: Db, campaignId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await reports.lockFixedData(trx, 'demo-reports')
    let added = 0
    for (const r of demoReports) {
      const key = { campaignId, kind: r.kind, placeName: r.placeName, occurredOn: r.occurredOn }
      if (await reports.findSameEvent(trx, key)) continue
      await reports.insertPublished(trx, { ...r, ...source, campaignId, createdBy: null })
      added++
    }
    return added
  })
}
