// One POST to a webhook endpoint: through an agent that refuses, at connect time, any address that
// is not public (unless allowed), with no redirect followed (a 3xx is a failed attempt) and a
// deadline for the answer's status line. The answer's body is not read.
import http from 'node:http'
import https from 'node:https'
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent'

export interface PostAnswer {
  /** The endpoint's HTTP status; null when there was none. */
  statusCode: number | null
  latencyMs: number
  /** Why the attempt failed, without the URL; null on a 2xx. */
  error: string | null
  /** The address was refused: no retry will reach it until it is registered anew. */
  refused: boolean
}

export interface Poster {
  post(url: string, headers: Record<string, string>, body: string): Promise<PostAnswer>
  close(): void
}

export function createPoster(options: { allowPrivate: boolean; timeoutMs: number }): Poster {
  const filter = { allowPrivateIPAddress: options.allowPrivate, allowMetaIPAddress: options.allowPrivate }
  const agents = { http: new RequestFilteringHttpAgent(filter), https: new RequestFilteringHttpsAgent(filter) }
  return {
    post: (url, headers, body) => post(agents, options.timeoutMs, url, headers, body),
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

function post(
  agents: { http: http.Agent; https: https.Agent },
  timeoutMs: number,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<PostAnswer> {
  const started = performance.now()
  return new Promise((resolve) => {
    const target = new URL(url)
    const secure = target.protocol === 'https:'
    let settled = false
    const finish = (statusCode: number | null, error: string | null, refused = false) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ statusCode, error, refused, latencyMs: Math.round(performance.now() - started) })
      request.destroy()
    }
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'UrgentAction-Webhooks/1',
        },
      },
      (response) => {
        response.on('error', () => {})
        response.resume()
        const status = response.statusCode ?? null
        if (status !== null && status >= 200 && status < 300) return finish(status, null)
        finish(status, status !== null && status >= 300 && status < 400 ? 'redirect not followed' : `HTTP ${status}`)
      },
    )
    const timer = setTimeout(() => finish(null, `no answer within ${timeoutMs} ms`), timeoutMs)
    request.on('error', (err: NodeJS.ErrnoException) => {
      // request-filtering-agent's refusal names the address; ours says only what kind it was.
      if (/is not allowed/.test(err.message)) return finish(null, 'refused: not a public address', true)
      finish(null, err.code ?? 'network error')
    })
    request.end(body)
  })
}
