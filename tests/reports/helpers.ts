// Reports for the tracker tests, made the way organizers make them: through the API.
import { organizerAuth, type TestEnv } from '../helper.ts'

export const report = {
  occurredOn: '2021-07-22',
  place: { name: 'Tumen', province: 'Jilin', country: 'CN' },
  peopleCount: 325,
  kind: 'detention',
  summary: 'At least 325 North Koreans believed held in Tumen.',
  sourceName: 'Human Rights Watch',
  sourceUrl: 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
  confidence: 'credible',
}

export type Patch = Partial<Omit<typeof report, 'place'>> & {
  place?: Partial<typeof report.place> & { latitude?: number; longitude?: number; exactPoint?: boolean }
}

export async function organizer(env: TestEnv, email?: string) {
  const headers = { authorization: await organizerAuth(env.db, email) }
  const inject = async (url: string, payload?: unknown) => {
    const res = await env.app.inject({
      method: 'POST',
      url,
      headers,
      ...(payload ? { payload: payload } : {}),
    })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return res.json()
  }
  return {
    /** A draft; returns its id. */
    async draft(patch: Patch = {}) {
      const body = { ...report, ...patch, place: { ...report.place, ...patch.place } }
      return (await inject('/api/v1/reports', body)).id as string
    },
    async publish(patch: Patch = {}) {
      const id = await this.draft(patch)
      await inject(`/api/v1/reports/${id}/publish`)
      return id
    },
    async retract(id: string, note: string) {
      await inject(`/api/v1/reports/${id}/retract`, { note })
    },
  }
}
