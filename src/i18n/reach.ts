import { area } from './area.ts'

// Issue 16 (reach): a campaign's public figures on its page.
export const reachMessages = area({
  en: {
    'figures.title': 'How the petition grew',
    'figures.chartAlt': 'Signatures per {unit} from {from} to {to}; the busiest {unit} had {max} signatures.',
    'figures.unit.hour': 'hour',
    'figures.unit.day': 'day',
    'figures.countries': 'Where signers live',
    'figures.other': 'Other countries',
    'figures.note': 'Countries with fewer than {min} signers are counted together, so that no one stands out.',
  },
  ko: {
    'figures.title': '청원의 성장',
    'figures.chartAlt': '{from}부터 {to}까지 {unit}별 서명 수. 가장 많았던 {unit}에는 {max}명이 서명했습니다.',
    'figures.unit.hour': '시간',
    'figures.unit.day': '날짜',
    'figures.countries': '서명자가 사는 곳',
    'figures.other': '기타 국가',
    'figures.note': '서명자가 {min}명 미만인 국가는 누구도 드러나지 않도록 함께 셉니다.',
  },
  zh: {
    'figures.title': '请愿的增长',
    'figures.chartAlt': '从{from}到{to}每{unit}的签名数；最多的一{unit}有{max}人签名。',
    'figures.unit.hour': '小时',
    'figures.unit.day': '天',
    'figures.countries': '签名者所在地',
    'figures.other': '其他国家',
    'figures.note': '签名者少于{min}人的国家合并计算，以免任何人被辨认出来。',
  },
})
