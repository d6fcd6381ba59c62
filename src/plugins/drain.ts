// What SIGTERM needs from the web server: every request in flight gets its answer, then the
// server closes at once. Fastify closes only the keep-alive connections that are idle when
// close() starts (fastify#7044), and Node counts a connection that has not sent its first
// request yet (a browser's preconnect) as busy, so either kind held the server open for the
// keep-alive timeout (72 s), past the shutdown's grace, and the process was killed with its
// jobs unfinished.
import type { Socket } from 'node:net'
import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

type HttpSocket = Socket & { _httpMessage?: ServerResponse | null }

export default fp(
  async function drain(app: FastifyInstance) {
    const sockets = new Set<HttpSocket>()
    app.server.on('connection', (socket: HttpSocket) => {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
    })
    // Until the server has closed: a connection with no answer under way is closed, and an
    // answer still to come says `Connection: close`, so the client does not send another.
    const sweep = () => {
      for (const socket of sockets) {
        const response = socket._httpMessage
        if (!response) socket.destroy()
        else if (!response.headersSent) response.setHeader('connection', 'close')
      }
    }
    app.addHook('preClose', (done) => {
      if (app.server.listening) {
        sweep()
        const timer = setInterval(sweep, 50).unref()
        app.server.once('close', () => clearInterval(timer))
      }
      done()
    })
  },
  { name: 'drain' },
)
