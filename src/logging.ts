// Request loggers made on first use. Fastify gives every request a pino child carrying its id;
// making one costs about as much as the rest of a cached page's reply, and at the production
// level (warn) almost no request writes a line. The child is built only when one does.
import type { IncomingMessage } from 'node:http'
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify'

type Bindings = Parameters<FastifyBaseLogger['child']>[0]
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1]

class LazyChild {
  #parent: FastifyBaseLogger
  #bindings: Bindings
  #options: ChildOptions
  #child: FastifyBaseLogger | undefined

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get #real(): FastifyBaseLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options))
  }

  get level() {
    return this.#real.level
  }
  set level(level: string) {
    this.#real.level = level
  }
  silent(...args: Parameters<FastifyBaseLogger['silent']>) {
    this.#real.silent(...args)
  }
  fatal(...args: Parameters<FastifyBaseLogger['fatal']>) {
    this.#real.fatal(...args)
  }
  error(...args: Parameters<FastifyBaseLogger['error']>) {
    this.#real.error(...args)
  }
  warn(...args: Parameters<FastifyBaseLogger['warn']>) {
    this.#real.warn(...args)
  }
  info(...args: Parameters<FastifyBaseLogger['info']>) {
    this.#real.info(...args)
  }
  debug(...args: Parameters<FastifyBaseLogger['debug']>) {
    this.#real.debug(...args)
  }
  trace(...args: Parameters<FastifyBaseLogger['trace']>) {
    this.#real.trace(...args)
  }
  child(...args: Parameters<FastifyBaseLogger['child']>) {
    return this.#real.child(...args)
  }
}

export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildOptions,
): FastifyBaseLogger {
  return new LazyChild(logger, bindings, options)
}

// What Node and its streams raise when the client's side of the connection goes: a tab closed
// mid-upload ("aborted", ECONNRESET), a reset, a write to a socket already gone.
const clientGoneCodes = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
])

/**
 * Whether an error is the client leaving (its connection closed or reset under the request), not a
 * failure of ours: the same codes from Postgres or SMTP are an outage, so the client's socket must be gone.
 */
export function isClientAbort(err: unknown, request: IncomingMessage): boolean {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !clientGoneCodes.has(code)) return false
  return request.aborted || request.socket.destroyed
}

/** Fastify's request log lines, but an answer cut short by the client is the client's doing. */
export class AppLogController extends LogController {
  override streamError(error: Error, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>) {
    if (isClientAbort(error, request.raw)) {
      reply.log.debug({ reason: (error as { code?: string }).code }, 'answer cut short by the client')
      return
    }
    super.streamError(error, request, reply, metadata)
  }
}
