// The founding case (shared/domain.md): a campaign against the forced return of North Korean
// refugees held in China, in English, Korean and Chinese, with its incident reports (reports.ts).
// Loading it twice changes nothing.
import type { Db } from '../../db/index.ts'
import { systemActor } from '../audit/service.ts'
import * as campaigns from '../campaigns/repository.ts'
import { createCampaign, launchCampaign } from '../campaigns/service.ts'
import { loadDemoReports } from './reports.ts'
import { loadDemoLetter } from './letter.ts'
import { loadDemoTargets } from './targets.ts'
import { loadDemoMilestone } from './updates.ts'

export const DEMO_SLUG = 'stop-forced-returns-north-korean-refugees'

const demo = systemActor('demo')

const body = `In mid-July 2021 Chinese authorities forcibly returned close to 50 North Korean refugees to
North Korea, days after North Korea reopened its border on 14 July 2021. At least 1,170 North Koreans
are believed to be held in Chinese detention:

| place | province | held |
|---|---|---|
| Changchun (prison) | Jilin | 450 |
| Tumen | Jilin | 325 |
| Changbai county | Jilin | 47 |
| Linjiang | Jilin | 104 |
| Dandong | Liaoning | 180 |
| Shenyang | Liaoning | 64 |

China labels them "illegal economic migrants" and returns them under a 1986 border protocol with
North Korea. But China is a party to the 1951 Refugee Convention, its 1967 Protocol and the
Convention against Torture, which forbid returning anyone at risk of persecution or torture.
Returnees face torture, imprisonment, sexual violence and forced labour.

Among those pressing for action are North Koreans in South Korea whose relatives are held in China.

Source: Human Rights Watch, "China to Forcibly Return Refugees to North Korea", 22 July 2021.`

const asks = [
  'Stop all forced returns of North Koreans, in line with the principle of non-refoulement.',
  'Grant the detained refugees asylum or safe passage to South Korea or a safe third country.',
  'Give the UN Refugee Agency (UNHCR) access to every North Korean held in detention.',
]

const translations = {
  ko: {
    title: '중국은 탈북 난민 강제북송을 멈춰라',
    summary: '중국에 구금된 탈북민 1,170명 이상이 강제북송 위기에 처해 있습니다. 지금 서명해 주세요.',
    target: '중화인민공화국 정부',
    asks: [
      '강제송환 금지 원칙에 따라 탈북민 강제북송을 모두 중단하라.',
      '구금된 난민에게 망명을 허용하거나 한국 또는 안전한 제3국으로 갈 수 있게 하라.',
      '유엔난민기구(UNHCR)가 구금된 모든 탈북민을 만날 수 있게 하라.',
    ],
    body: `2021년 7월 중순, 중국 당국은 북한이 7월 14일 국경을 다시 연 지 며칠 만에 탈북 난민 50명가량을
북한으로 강제송환했습니다. 적어도 1,170명의 탈북민이 중국에 구금되어 있는 것으로 알려졌습니다:
창춘 교도소(지린성) 450명, 투먼(지린성) 325명, 창바이현(지린성) 47명, 린장(지린성) 104명,
단둥(랴오닝성) 180명, 선양(랴오닝성) 64명.

중국은 이들을 "불법 경제 이주자"로 분류하고 1986년 북한과 맺은 국경 의정서에 따라 송환합니다. 그러나 중국은
난민협약과 의정서, 고문방지협약의 당사국으로서 박해나 고문의 위험이 있는 사람을 돌려보내서는 안 됩니다.
송환된 사람들은 고문, 구금, 성폭력, 강제노동을 당합니다.

출처: 휴먼라이츠워치, 2021년 7월 22일.`,
  },
  zh: {
    title: '中国：停止强制遣返朝鲜难民',
    summary: '至少1,170名被关押在中国的朝鲜人面临被强制遣返的危险。请立即签名。',
    target: '中华人民共和国政府',
    asks: [
      '根据不驱回原则，停止一切对朝鲜人的强制遣返。',
      '给予被关押的难民庇护，或让他们安全前往韩国或安全的第三国。',
      '让联合国难民署（UNHCR）接触所有被关押的朝鲜人。',
    ],
    body: `2021年7月中旬，就在朝鲜于7月14日重新开放边境几天后，中国当局将近50名朝鲜难民强制遣返回朝鲜。
据信至少有1,170名朝鲜人被关押在中国：长春监狱（吉林）450人、图们（吉林）325人、长白县（吉林）47人、
临江（吉林）104人、丹东（辽宁）180人、沈阳（辽宁）64人。

中国将他们称为"非法经济移民"，并依据1986年与朝鲜签订的边境议定书将其遣返。但中国是1951年《难民公约》、
1967年议定书和《禁止酷刑公约》的缔约国，这些公约禁止将任何面临迫害或酷刑风险的人遣返。
被遣返者会遭受酷刑、监禁、性暴力和强迫劳动。

来源：人权观察，2021年7月22日。`,
  },
}

export async function loadDemo(
  db: Db,
): Promise<{ created: boolean; slug: string; reportsAdded: number; targetsAdded: number; milestonesAdded: number }> {
  const existing = await campaigns.findBySlug(db, DEMO_SLUG)
  if (!existing) {
    await createCampaign(db, demo, {
      slug: DEMO_SLUG,
      title: 'China: stop the forced return of North Korean refugees',
      summary: 'At least 1,170 North Koreans held in Chinese detention are at risk of being sent back. Sign now.',
      body,
      target: 'The Government of the People’s Republic of China',
      asks,
      goal: 10_000,
      deadline: null,
      locale: 'en',
      translations,
    })
  }
  if (!existing || existing.status === 'draft') await launchCampaign(db, demo, DEMO_SLUG)
  const campaign = existing ?? (await campaigns.findBySlug(db, DEMO_SLUG))!
  const reportsAdded = await loadDemoReports(db, campaign.id)
  const targetsAdded = await loadDemoTargets(db, demo, campaign)
  await loadDemoLetter(db, demo, campaign)
  const milestonesAdded = await loadDemoMilestone(db, demo, campaign)
  return { created: !existing, slug: DEMO_SLUG, reportsAdded, targetsAdded, milestonesAdded }
}
