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

const heldKo = (count: number) =>
  `이곳에 북한 주민 최소 ${count}명이 구금된 것으로 알려졌다. 현지 소식통에 따르면 중국에 구금된 북한 주민은 ` +
  '최소 1,170명이다. 북한이 2021년 7월 14일 국경을 다시 열면서 이들이 강제송환될 위험이 커졌다.'
const heldZh = (count: number) =>
  `据信这里至少关押着${count}名朝鲜人。据有当地联系的消息人士称，至少有1,170名朝鲜人被关押在中国。` +
  '朝鲜于2021年7月14日重新开放边境，这增加了他们被强制遣返的风险。'

// Provinces and places as Korean and Chinese readers know them.
const JILIN = { ko: '지린성', zh: '吉林省' }
const LIAONING = { ko: '랴오닝성', zh: '辽宁省' }

function translated(
  place: { ko: string; zh: string },
  province: { ko: string; zh: string },
  summary: { ko: string; zh: string },
): NewReport['translations'] {
  return {
    ko: { summary: summary.ko, place: { name: place.ko, province: province.ko } },
    zh: { summary: summary.zh, place: { name: place.zh, province: province.zh } },
  }
}

function heldAt(
  placeName: string,
  place: { ko: string; zh: string },
  province: 'Jilin' | 'Liaoning',
  count: number,
  point?: { latitude: number; longitude: number },
): DemoReport {
  return {
    // The town's own coordinates, published rounded like an organizer's (0.1 degree); a place
    // without them is drawn at its province.
    point: point ? { ...point, exact: false } : null,
    occurredOn: heldOn,
    placeName,
    province,
    peopleCount: count,
    kind: 'detention',
    summary: held(count),
    locale: 'en',
    translations: translated(place, province === 'Jilin' ? JILIN : LIAONING, { ko: heldKo(count), zh: heldZh(count) }),
  }
}

type DemoReport = Omit<NewReport, 'campaignId' | 'createdBy' | 'sourceName' | 'sourceUrl' | 'confidence' | 'country'>

export const demoReports: readonly DemoReport[] = [
  {
    occurredOn: heldOn,
    placeName: 'Changchun (prison)',
    // The city, not the prison: the dispatch does not name it.
    point: { latitude: 43.9, longitude: 125.3, exact: false },
    province: 'Jilin',
    peopleCount: 450,
    kind: 'detention',
    summary:
      'About 450 North Korean men are held in a prison in Changchun, serving sentences for alleged crimes; ' +
      'they are to be deported to North Korea when their terms end. They are part of at least 1,170 North ' +
      'Koreans believed held in Chinese detention according to sources with local contacts.',
    locale: 'en',
    translations: translated({ ko: '창춘 (교도소)', zh: '长春（监狱）' }, JILIN, {
      ko:
        '북한 남성 약 450명이 범죄 혐의로 창춘의 교도소에서 형을 살고 있으며, 형기를 마치면 북한으로 송환될 ' +
        '예정이다. 이들은 현지 소식통에 따르면 중국에 구금된 것으로 알려진 최소 1,170명의 북한 주민에 포함된다.',
      zh:
        '约450名朝鲜男子因被指控的罪行在长春一所监狱服刑，刑满后将被遣返朝鲜。据有当地联系的消息人士称，' +
        '他们属于被关押在中国的至少1,170名朝鲜人之列。',
    }),
  },
  heldAt('Tumen', { ko: '투먼', zh: '图们' }, 'Jilin', 325, { latitude: 43.0, longitude: 129.8 }),
  heldAt('Changbai county', { ko: '창바이현', zh: '长白县' }, 'Jilin', 47),
  heldAt('Linjiang', { ko: '린장', zh: '临江' }, 'Jilin', 104, { latitude: 41.8, longitude: 126.9 }),
  heldAt('Dandong', { ko: '단둥', zh: '丹东' }, 'Liaoning', 180, { latitude: 40.1, longitude: 124.4 }),
  heldAt('Shenyang', { ko: '선양', zh: '沈阳' }, 'Liaoning', 64, { latitude: 41.8, longitude: 123.4 }),
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
    locale: 'en',
    translations: translated({ ko: '북중 국경', zh: '中朝边境' }, LIAONING, {
      ko:
        '북한이 7월 14일 국경을 다시 연 지 며칠 뒤인 2021년 7월 중순, 중국 당국은 북한 난민 50명 가까이를 ' +
        '북한으로 강제송환했다. 정확한 날짜와 송환 지점은 보도되지 않았다. 날짜는 대략적이며 지역(랴오닝성)은 ' +
        '우리의 추정이다. 송환된 사람들은 고문, 수감, 성폭력, 강제노동을 당한다.',
      zh:
        '2021年7月中旬，朝鲜于7月14日重新开放边境几天后，中国当局将近50名朝鲜难民强制遣返朝鲜。确切日期和' +
        '遣返地点未见报道；此处日期为大致日期，省份（辽宁）是我们的最佳估计。被遣返者面临酷刑、监禁、性暴力和强迫劳动。',
    }),
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
