// A live campaign with three targets in three languages (one platform-only) and a letter in en,
// ko and zh, made through the API as an organizer would.
import { campaignInput, organizerAuth, type TestEnv } from '../helper.ts'

// Characters a mailto URL must encode: & ? # % + and line breaks.
export const letter = {
  en: {
    subject: 'Stop forced returns & let UNHCR in?',
    body: 'Dear Representative,\n\nPlease ask for access: 100% of them #now + safely.\n\nYours sincerely,',
  },
  ko: {
    subject: '강제 송환을 멈춰 주십시오 & 보호해 주십시오',
    body: '장관님께,\n\n북한 난민의 강제 송환을 막아 주십시오.\n\n드림',
  },
  zh: {
    subject: '请停止强制遣返？',
    body: '尊敬的部长：\n\n请不要把朝鲜难民遣返回朝鲜。100% 安全 #现在\n\n此致\n敬礼',
  },
}

export const ministry = {
  name: '外交部长',
  title: '部长',
  organisation: '中华人民共和国外交部',
  country: 'CN',
  locale: 'zh',
  email: 'mfa-demo@example.org',
  postalAddress: '北京市朝阳区 (demo)\n100701',
}
export const unification = {
  name: '통일부 장관',
  organisation: '통일부',
  country: 'KR',
  locale: 'ko',
  email: 'mou-demo@example.org',
  postalAddress: '서울특별시 종로구 (demo)',
}
export const unhcr = {
  name: 'UNHCR Representative',
  organisation: 'UNHCR Beijing',
  country: 'CN',
  locale: 'en',
  email: 'private-contact@unhcr-demo.example.org',
  postalAddress: 'Private Road 1, Beijing',
  platformOnly: true,
}

export async function letterCampaign(env: TestEnv, slug: string, overrides: Record<string, unknown> = {}) {
  const headers = { authorization: await organizerAuth(env.db) }
  const ids: string[] = []
  for (const target of [ministry, unification, unhcr]) {
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/targets', headers, payload: target })
    if (res.statusCode !== 201) throw new Error(res.body)
    ids.push(res.json<{ id: string }>().id)
  }
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug, targets: ids, letter, ...overrides },
  })
  if (created.statusCode !== 201) throw new Error(created.body)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/launch`, headers })
  return { headers, ids }
}
