// At most MAX_CONNECTIONS_PER_CLIENT open connections per client network (an IPv6 /64, an IPv4
// address): slow senders that hold hundreds of connections from one place get no more. Behind a
// proxy every socket is the proxy's, so the bound is off there (TRUST_PROXY set) and the proxy's
// own limit_conn does it (docs/operations.md).
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { clientNetwork } from '../security.ts'

export default fp(
  async function connections(app: FastifyInstance) {
    const { trustProxy, maxConnectionsPerClient, ipv6Prefix } = app.config
    if (trustProxy !== false) return
    const open = new Map<string, number>()
    app.server.on('connection', (socket: Socket) => {
      const ip = socket.remoteAddress
      if (!ip) return
      const network = clientNetwork(ip, ipv6Prefix)
      const count = (open.get(network) ?? 0) + 1
      if (count > maxConnectionsPerClient) {
        socket.destroy()
        return
      }
      open.set(network, count)
      socket.once('close', () => {
        const left = (open.get(network) ?? 1) - 1
        if (left > 0) open.set(network, left)
        else open.delete(network)
      })
    })
  },
  { name: 'connections' },
)
