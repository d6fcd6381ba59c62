// A page served from memory is compressed once, when it is rendered, and each request takes the
// bytes its Accept-Encoding asks for: a third of the bytes on a phone's connection, and less for
// the server to write than the plain page. Responses rendered per request are left to the
// reverse proxy: compressing each one costs more CPU than it saves at these sizes.
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { Negotiator } from '@fastify/accept-negotiator'
import type { FastifyReply } from 'fastify'

export type Encoding = 'br' | 'gzip' | 'identity'
export type Encoded = Record<Encoding, Buffer>

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

const brotliParams = (identity: Buffer, quality: number) => ({
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
  },
})

/**
 * The text as plain UTF-8, Brotli and gzip bytes. Brotli comes at quality 5 (half a millisecond
 * for a campaign page), so the first reader does not wait; quality 11 saves another 14% of the
 * bytes but takes about 12 ms, so it runs afterwards in zlib's thread pool and its bytes replace
 * the quick ones in `encoded.br` when they are ready. Every later reader of the page gets them.
 * With `best`, the caller has other bytes to send meanwhile: the promise waits for quality 11.
 */
export async function encodeAll(text: string, { best = false } = {}): Promise<Encoded> {
  const identity = Buffer.from(text)
  if (best) {
    const [br, gz] = await Promise.all([brotli(identity, brotliParams(identity, 11)), gzip(identity, { level: 9 })])
    return { identity, br, gzip: gz }
  }
  const [br, gz] = await Promise.all([brotli(identity, brotliParams(identity, 5)), gzip(identity, { level: 9 })])
  const encoded: Encoded = { identity, br, gzip: gz }
  brotli(identity, brotliParams(identity, 11)).then(
    (best) => {
      if (best.length < encoded.br.length) encoded.br = best
    },
    () => {}, // the quick bytes stay: they are correct, only larger
  )
  return encoded
}

/** Remembers the answer for the last few distinct headers: browsers send a handful of them. */
class Recent<V> extends Map<string, V> {
  override set(key: string, value: V) {
    if (this.size >= 64) this.clear()
    return super.set(key, value)
  }
}

const negotiator = new Negotiator<Encoding>({ supportedValues: ['br', 'gzip', 'identity'], cache: new Recent() })

/** The encoding to send for this Accept-Encoding header (q-values honoured; Brotli first on a tie). */
export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  return (acceptEncoding && negotiator.negotiate(acceptEncoding)) || 'identity'
}

/** Sends the bytes of `encoded` that the request's Accept-Encoding asks for. */
export function sendEncoded(reply: FastifyReply, encoded: Encoded, type: string, vary: string) {
  const encoding = pickEncoding(reply.request.headers['accept-encoding'])
  if (encoding !== 'identity') reply.header('content-encoding', encoding)
  return reply.header('vary', vary).type(type).send(encoded[encoding])
}

/**
 * The page without the templates' indentation before each tag, for pages whose every byte counts
 * (the campaign page, read by phones on slow links). Only white space followed by a tag goes, so
 * no text changes: inside <pre> or <textarea> a literal "<" is escaped and never matches.
 */
export function trimIndentation(html: string): string {
  return html.replace(/\n[ \t]+</g, '\n<')
}
