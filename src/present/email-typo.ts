// "Did you mean kim@gmail.com?": a suggestion for an address whose domain looks mistyped, from
// @zootools/email-spell-checker with the providers our supporters use added (Korean and Chinese
// ones are not in its list). Only ever a suggestion: an unusual domain may well be right.
import checker from '@zootools/email-spell-checker'

const DOMAINS = [
  ...checker.POPULAR_DOMAINS,
  'naver.com',
  'daum.net',
  'hanmail.net',
  'kakao.com',
  'nate.com',
  'qq.com',
  'vip.qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sina.cn',
  'sohu.com',
  'aliyun.com',
]
const TOP_LEVEL = [...checker.POPULAR_TLDS, 'co.kr', 'cn', 'com.cn', 'tw', 'com.tw', 'hk', 'com.hk']

/** The address with its domain corrected, when the domain looks like a typo of a common one. */
export function suggestAddress(email: string): string | undefined {
  const suggestion = checker.run({ email, domains: DOMAINS, topLevelDomains: TOP_LEVEL })
  return suggestion && suggestion.full !== email ? suggestion.full : undefined
}
