// The mail bomb of issue 19: one client asking for email to victim+1..N@corp.example through
// every route that sends email.
import type { TestEnv } from '../helper.ts'

const client = '198.51.100.66'
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' }

/** Every route that writes and sends email, each asking for `email`. */
export function routes(env: TestEnv, slug: string) {
  const json = (url: string, payload: object) => env.app.inject({ method: 'POST', url, payload, remoteAddress: client })
  const form = (url: string, fields: Record<string, string>) =>
    env.app.inject({
      method: 'POST',
      url,
      headers: formHeaders,
      payload: new URLSearchParams(fields).toString(),
      remoteAddress: client,
    })
  const signer = (email: string) => ({ name: 'Victim', email, country: 'KR' })
  return {
    signApi: (email: string) => json(`/api/v1/campaigns/${slug}/signatures`, signer(email)),
    signForm: (email: string) => form(`/campaigns/${slug}`, signer(email)),
    subscribeApi: (email: string) => json('/api/v1/subscribers', { email }),
    subscribeForm: (email: string) => form('/alerts', { email }),
    erase: (email: string) => form('/privacy/erase', { email }),
  }
}
