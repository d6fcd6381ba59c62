// On SIGTERM every request in flight gets its answer, then the server closes at once: Fastify
// leaves idle keep-alive and preconnected sockets open (fastify#7044), which held shutdown past its grace.
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
