// The demo campaign's letter to its targets (issue 15), in each target's language: respectful,
// factual (the founding case: Human Rights Watch, 22 July 2021), with the asks of the campaign.
import type { Db } from '../../db/index.ts'
import type { Actor } from '../audit/service.ts'
import { patchCampaign } from '../campaigns/service.ts'
import { letterOf, type Letter } from '../letters/templates.ts'

export const demoLetter: Letter = {
  en: {
    subject: 'Please do not forcibly return North Korean refugees',
    body: `Dear Sir or Madam,

I am writing about the North Koreans held in detention in China. In July 2021, close to 50 North Korean refugees were forcibly returned to North Korea, and at least 1,170 North Koreans were believed to be held in detention in Changchun, Tumen, Changbai, Linjiang, Dandong and Shenyang.

People returned to North Korea face torture, imprisonment, sexual violence and forced labour, because leaving the country without permission is treated as a serious crime. China is a party to the 1951 Refugee Convention, its 1967 Protocol and the Convention against Torture, which forbid returning anyone to a place where they are at risk of persecution or torture.

I respectfully ask you:
- not to return any North Korean held in China to North Korea;
- to let them seek asylum, or travel safely to South Korea or another safe country;
- to allow the UN Refugee Agency (UNHCR) to reach those who are detained.

Thank you for your attention to their safety.

Yours faithfully,`,
  },
  ko: {
    subject: '북한 이탈 주민의 강제 송환을 멈춰 주십시오',
    body: `안녕하십니까.

중국에 구금된 북한 이탈 주민에 관해 글을 드립니다. 2021년 7월, 북한 난민 50명 가까이가 북한으로 강제 송환되었고, 창춘, 투먼, 창바이, 린장, 단둥, 선양에 적어도 1,170명의 북한 주민이 구금되어 있는 것으로 알려졌습니다.

허가 없이 북한을 떠나는 것은 중대한 범죄로 다루어지기 때문에, 송환된 사람들은 고문, 투옥, 성폭력, 강제 노동을 당할 위험에 놓입니다. 중국은 1951년 난민협약과 1967년 의정서, 고문방지협약의 당사국이며, 이 협약들은 박해나 고문의 위험이 있는 곳으로 누구도 돌려보내지 못하도록 합니다.

정중히 요청드립니다.
- 중국에 구금된 북한 주민을 북한으로 돌려보내지 않도록 힘써 주십시오.
- 이들이 망명을 신청하거나 한국 또는 안전한 제3국으로 안전하게 갈 수 있도록 해 주십시오.
- 유엔난민기구(UNHCR)가 구금된 이들을 만날 수 있도록 해 주십시오.

이들의 안전에 관심을 기울여 주셔서 감사합니다.

드림`,
  },
  zh: {
    subject: '恳请不要强制遣返朝鲜难民',
    body: `尊敬的先生/女士：

我写信是为了在中国被拘留的朝鲜人。2021年7月，近50名朝鲜难民被强制遣返回朝鲜；据报道，至少1,170名朝鲜人被关押在长春、图们、长白、临江、丹东和沈阳。

由于未经许可离开朝鲜被视为严重罪行，被遣返者面临酷刑、监禁、性暴力和强迫劳动。中国是1951年《难民公约》、1967年《议定书》和《禁止酷刑公约》的缔约国，这些公约禁止将任何人遣返到其可能遭受迫害或酷刑的地方。

我恳请您：
- 不要将在中国被拘留的朝鲜人遣返回朝鲜；
- 允许他们寻求庇护，或安全前往韩国或其他安全的国家；
- 允许联合国难民署（UNHCR）接触被拘留者。

感谢您关注他们的安全。

此致
敬礼`,
  },
}

/** Gives the demo campaign its letter if it has none: a letter an organizer wrote stays. */
export async function loadDemoLetter(db: Db, actor: Actor, campaign: { id: string; slug: string }): Promise<boolean> {
  if (Object.keys(await letterOf(db, campaign.id)).length > 0) return false
  await patchCampaign(db, actor, campaign.slug, { letter: demoLetter })
  return true
}
