// Province and place names in en, ko and zh for the places this tracker is about: the provinces of
// China and North Korea and the places of the demo reports. An organizer's own translation of a
// report wins; these fill in where there is none, so a report written "Jilin" reads 지린성 and 吉林省.
// A leaf like locale.ts: the pages show these names, and the alert rules match topics by them.
import type { Locale } from './locale.ts'

type Names = Record<Locale, string>
type Country = 'CN' | 'KP'

const n = (en: string, ko: string, zh: string): Names => ({ en, ko, zh })

// Korean has one reading, 산시성, for both Shanxi (山西) and Shaanxi (陕西); the characters tell them apart.
const CHINA: Names[] = [
  n('Beijing', '베이징시', '北京市'),
  n('Tianjin', '톈진시', '天津市'),
  n('Hebei', '허베이성', '河北省'),
  n('Shanxi', '산시성(山西)', '山西省'),
  n('Inner Mongolia', '네이멍구 자치구', '内蒙古自治区'),
  n('Liaoning', '랴오닝성', '辽宁省'),
  n('Jilin', '지린성', '吉林省'),
  n('Heilongjiang', '헤이룽장성', '黑龙江省'),
  n('Shanghai', '상하이시', '上海市'),
  n('Jiangsu', '장쑤성', '江苏省'),
  n('Zhejiang', '저장성', '浙江省'),
  n('Anhui', '안후이성', '安徽省'),
  n('Fujian', '푸젠성', '福建省'),
  n('Jiangxi', '장시성', '江西省'),
  n('Shandong', '산둥성', '山东省'),
  n('Henan', '허난성', '河南省'),
  n('Hubei', '후베이성', '湖北省'),
  n('Hunan', '후난성', '湖南省'),
  n('Guangdong', '광둥성', '广东省'),
  n('Guangxi', '광시 좡족 자치구', '广西壮族自治区'),
  n('Hainan', '하이난성', '海南省'),
  n('Chongqing', '충칭시', '重庆市'),
  n('Sichuan', '쓰촨성', '四川省'),
  n('Guizhou', '구이저우성', '贵州省'),
  n('Yunnan', '윈난성', '云南省'),
  n('Tibet', '시짱 자치구', '西藏自治区'),
  n('Shaanxi', '산시성(陝西)', '陕西省'),
  n('Gansu', '간쑤성', '甘肃省'),
  n('Qinghai', '칭하이성', '青海省'),
  n('Ningxia', '닝샤 후이족 자치구', '宁夏回族自治区'),
  n('Xinjiang', '신장 위구르 자치구', '新疆维吾尔自治区'),
  n('Hong Kong', '홍콩', '香港'),
  n('Macau', '마카오', '澳门'),
]

const NORTH_KOREA: Names[] = [
  n('Pyongyang', '평양직할시', '平壤直辖市'),
  n('Rason', '라선특별시', '罗先特别市'),
  n('Nampho', '남포특별시', '南浦特别市'),
  n('South Pyongan', '평안남도', '平安南道'),
  n('North Pyongan', '평안북도', '平安北道'),
  n('Chagang', '자강도', '慈江道'),
  n('Ryanggang', '량강도', '两江道'),
  n('South Hamgyong', '함경남도', '咸镜南道'),
  n('North Hamgyong', '함경북도', '咸镜北道'),
  n('Kangwon', '강원도', '江原道'),
  n('South Hwanghae', '황해남도', '黄海南道'),
  n('North Hwanghae', '황해북도', '黄海北道'),
]

// Other spellings of the same provinces in the sources: romanisations and the short forms.
const SPELLINGS: Record<Country, Record<string, string>> = {
  CN: { xizang: 'Tibet', macao: 'Macau', 'nei mongol': 'Inner Mongolia', 内蒙古: 'Inner Mongolia' },
  KP: {
    'south phyongan': 'South Pyongan',
    'north phyongan': 'North Pyongan',
    jagang: 'Chagang',
    yanggang: 'Ryanggang',
    량강도: 'Ryanggang',
    양강도: 'Ryanggang',
    나선특별시: 'Rason',
    나선: 'Rason',
    'rajin-sonbong': 'Rason',
    nampo: 'Nampho',
    'south hamkyong': 'South Hamgyong',
    'north hamkyong': 'North Hamgyong',
    gangwon: 'Kangwon',
    'p’yŏngyang': 'Pyongyang',
    평양시: 'Pyongyang',
    平壤市: 'Pyongyang',
  },
}

// The places of the demo reports (src/modules/demo/reports.ts) and the towns on the border.
const PLACES: Names[] = [
  n('Changchun (prison)', '창춘 (교도소)', '长春（监狱）'),
  n('Changchun', '창춘', '长春'),
  n('Tumen', '투먼', '图们'),
  n('Changbai county', '창바이현', '长白县'),
  n('Linjiang', '린장', '临江'),
  n('Dandong', '단둥', '丹东'),
  n('Shenyang', '선양', '沈阳'),
  n('Yanji', '옌지', '延吉'),
  n('Hunchun', '훈춘', '珲春'),
  n('Helong', '허룽', '和龙'),
  n('Ji’an', '지안', '集安'),
  n('Harbin', '하얼빈', '哈尔滨'),
  n('China–North Korea border', '북중 국경', '中朝边境'),
  n('Sinuiju', '신의주', '新义州'),
  n('Hyesan', '혜산', '惠山'),
  n('Hoeryong', '회령', '会宁'),
  n('Onsong', '온성', '稳城'),
  n('Musan', '무산', '茂山'),
]

// "Jilin Province", "吉林" and "지린" name the same province as "Jilin", "吉林省" and "지린성".
const SUFFIXES = [
  /\s+(province|city|municipality|autonomous region|special city|county)$/,
  /(省|市|自治区)$/,
  /(성|시)$/,
]

function key(name: string): string {
  return name
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[‘’']/g, '’')
    .replace(/[\s\u2013\u2014-]+/g, ' ')
}

function shortKey(name: string): string {
  const k = key(name)
  for (const suffix of SUFFIXES) {
    const short = k.replace(suffix, '')
    if (short && short !== k) return short
  }
  return k
}

// Every name a known province or place goes by, as written and as key() reads it.
const aliases = new Map<Names, Set<string>>()
function alias(names: Names, name: string) {
  let set = aliases.get(names)
  if (!set) aliases.set(names, (set = new Set()))
  set.add(name.trim().toLowerCase())
  set.add(key(name))
}

function index(lists: Names[]): Map<string, Names> {
  const byName = new Map<string, Names>()
  for (const names of lists) {
    for (const name of Object.values(names)) {
      byName.set(key(name), names)
      alias(names, name)
      if (!byName.has(shortKey(name))) {
        byName.set(shortKey(name), names)
        alias(names, shortKey(name))
      }
    }
  }
  return byName
}

function withSpellings(lists: Names[], spellings: Record<string, string>): Map<string, Names> {
  const byName = index(lists)
  for (const [spelling, en] of Object.entries(spellings)) {
    const names = byName.get(key(en))
    if (names) {
      byName.set(key(spelling), names)
      alias(names, spelling)
    }
  }
  return byName
}

const provinces: Record<Country, Map<string, Names>> = {
  CN: withSpellings(CHINA, SPELLINGS.CN),
  KP: withSpellings(NORTH_KOREA, SPELLINGS.KP),
}
const places = index(PLACES)

function lookup(byName: Map<string, Names> | undefined, name: string): Names | undefined {
  return byName && (byName.get(key(name)) ?? byName.get(shortKey(name)))
}

/** A province of China or North Korea in `locale`, or undefined when it is not one this knows. */
export function knownProvince(name: string, country: string | undefined, locale: Locale): string | undefined {
  const code = country?.trim().toUpperCase()
  const names =
    code === 'CN' || code === 'KP'
      ? lookup(provinces[code], name)
      : // No country (a subscriber's topic): a name only one of the two countries has.
        code
        ? undefined
        : (lookup(provinces.CN, name) ?? lookup(provinces.KP, name))
  return names?.[locale]
}

/**
 * Every name, in any language or spelling and lowercased, of the province `name` names: what a
 * subscriber's province topic is matched against, so that following "Jilin" brings a report
 * written 吉林省 that has no translation. Only `name` itself, lowercased, for a province this does
 * not know.
 */
export function provinceAliases(name: string, country: string | undefined): string[] {
  const code = country?.trim().toUpperCase()
  // As knownProvince: another country's province is only what it is called (Gangwon in South Korea
  // is not North Korea's Kangwon); no country at all, a name only one of the two has.
  const names =
    code === 'CN' || code === 'KP'
      ? lookup(provinces[code], name)
      : code
        ? undefined
        : (lookup(provinces.CN, name) ?? lookup(provinces.KP, name))
  return [...new Set([name.trim().toLowerCase(), ...(names ? (aliases.get(names) ?? []) : [])])]
}

/** A known place (the demo places, border towns) in `locale`, or undefined. */
export function knownPlace(name: string, locale: Locale): string | undefined {
  return lookup(places, name)?.[locale]
}
