import { area } from './area.ts'

// Bots kept out of the public forms: the honeypot's label (read only where CSS is off) and what
// the console shows of dropped forms and catch-all domains.
export const botMessages = area({
  en: {
    'form.honeypot': 'Leave this field empty',
    'console.refused.title': 'Forms dropped as automated',
    'console.refused.hint':
      'Sent with the hidden field filled in, sooner than a person could, or without the form time the page gives. They were answered as usual and nothing was kept but these counts (last 30 days).',
    'console.refused.day': 'Day (UTC)',
    'console.refused.honeypot': 'Hidden field filled in',
    'console.refused.tooFast': 'Sent too soon',
    'console.refused.badStamp': 'Missing or forged form time',
    'console.catchAll.title': 'Domains that take any address',
    'console.catchAll.hint':
      'Each of these domains got {min} or more different addresses from one network within an hour: a domain that accepts any address can confirm fake signatures. Nothing is blocked; check before invalidating.',
    'console.catchAll.domain': 'Domain',
    'console.catchAll.network': 'Network',
    'console.catchAll.count': 'Signatures',
    'console.catchAll.first': 'First seen',
    'console.catchAll.last': 'Last seen',
  },
  ko: {
    'form.honeypot': '이 칸은 비워 두세요',
    'console.refused.title': '자동 제출로 보고 버린 양식',
    'console.refused.hint':
      '숨은 칸이 채워졌거나, 사람이 할 수 없을 만큼 빨리 보냈거나, 페이지가 준 양식 시각 없이 보낸 것입니다. 평소와 같은 답을 받았고, 이 숫자 말고는 아무것도 남기지 않았습니다 (최근 30일).',
    'console.refused.day': '날짜 (UTC)',
    'console.refused.honeypot': '숨은 칸 채움',
    'console.refused.tooFast': '너무 빨리 보냄',
    'console.refused.badStamp': '양식 시각 없음 또는 위조',
    'console.catchAll.title': '아무 주소나 받는 도메인',
    'console.catchAll.hint':
      '이 도메인들은 한 네트워크에서 한 시간 안에 서로 다른 주소 {min}개 이상을 받았습니다. 아무 주소나 받는 도메인은 가짜 서명을 확인할 수 있습니다. 아무것도 막지 않았으니, 무효화하기 전에 확인하세요.',
    'console.catchAll.domain': '도메인',
    'console.catchAll.network': '네트워크',
    'console.catchAll.count': '서명',
    'console.catchAll.first': '처음',
    'console.catchAll.last': '마지막',
  },
  zh: {
    'form.honeypot': '此栏请留空',
    'console.refused.title': '被判定为自动提交而丢弃的表单',
    'console.refused.hint':
      '这些表单填写了隐藏栏、提交得比真人可能的更快，或缺少页面给出的表单时间。它们得到了与平常相同的回应，除这些计数外没有保留任何内容（最近 30 天）。',
    'console.refused.day': '日期（UTC）',
    'console.refused.honeypot': '填写了隐藏栏',
    'console.refused.tooFast': '提交过快',
    'console.refused.badStamp': '表单时间缺失或伪造',
    'console.catchAll.title': '接受任意地址的域名',
    'console.catchAll.hint':
      '这些域名在一小时内从同一网络收到了 {min} 个或更多不同的地址：接受任意地址的域名可以确认伪造的签名。没有拦截任何内容；作废前请先核实。',
    'console.catchAll.domain': '域名',
    'console.catchAll.network': '网络',
    'console.catchAll.count': '签名',
    'console.catchAll.first': '首次出现',
    'console.catchAll.last': '最近出现',
  },
})
