// Where the map draws a report that carries no point of its own: near the middle of its province.
// A leaf like place-names.ts, whose English names key this table. Rounded to 0.1 degree like a
// published point; the middle of a province is only a sign of where, never a place.
import { knownProvince } from './place-names.ts'

type Centre = readonly [latitude: number, longitude: number]

const CHINA: Record<string, Centre> = {
  Beijing: [40.2, 116.4],
  Tianjin: [39.3, 117.3],
  Hebei: [39.0, 115.7],
  Shanxi: [37.6, 112.3],
  'Inner Mongolia': [44.1, 113.9],
  Liaoning: [41.3, 122.6],
  Jilin: [43.7, 126.2],
  Heilongjiang: [47.9, 127.8],
  Shanghai: [31.2, 121.5],
  Jiangsu: [33.0, 119.8],
  Zhejiang: [29.2, 120.1],
  Anhui: [31.8, 117.2],
  Fujian: [26.1, 118.0],
  Jiangxi: [27.6, 115.7],
  Shandong: [36.3, 118.2],
  Henan: [33.9, 113.6],
  Hubei: [30.9, 112.3],
  Hunan: [27.6, 111.7],
  Guangdong: [23.4, 113.4],
  Guangxi: [23.8, 108.8],
  Hainan: [19.2, 109.7],
  Chongqing: [30.1, 107.9],
  Sichuan: [30.6, 102.7],
  Guizhou: [26.8, 106.9],
  Yunnan: [24.9, 101.5],
  Tibet: [31.7, 88.1],
  Shaanxi: [35.2, 108.9],
  Gansu: [36.1, 103.8],
  Qinghai: [35.7, 96.0],
  Ningxia: [37.3, 106.2],
  Xinjiang: [41.1, 85.2],
  'Hong Kong': [22.3, 114.2],
  Macau: [22.2, 113.5],
}

const NORTH_KOREA: Record<string, Centre> = {
  Pyongyang: [39.0, 125.8],
  Rason: [42.3, 130.4],
  Nampho: [38.7, 125.4],
  'South Pyongan': [39.4, 126.0],
  'North Pyongan': [40.0, 124.9],
  Chagang: [40.8, 126.6],
  Ryanggang: [41.2, 128.2],
  'South Hamgyong': [40.1, 127.5],
  'North Hamgyong': [41.8, 129.5],
  Kangwon: [38.8, 127.4],
  'South Hwanghae': [38.2, 125.4],
  'North Hwanghae': [38.5, 126.3],
}

const CENTRES: Record<string, Record<string, Centre>> = { CN: CHINA, KP: NORTH_KOREA }

/** Near the middle of a province of China or North Korea, in any of its names; undefined otherwise. */
export function provinceCentre(province: string, country: string): { latitude: number; longitude: number } | undefined {
  const code = country.trim().toUpperCase()
  const table = CENTRES[code]
  const en = table && knownProvince(province, code, 'en')
  const centre = en ? table[en] : undefined
  return centre && { latitude: centre[0], longitude: centre[1] }
}
