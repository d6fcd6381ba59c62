// A Postgres cluster of the test's own (initdb, then pg_ctl), on a free port under a temp dir,
// to stop and start at will. initdb and postgres refuse to run as root: as root, they run as
// the postgres user.
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './private-redis.ts'

const run = promisify(execFile)

/** The newest installed server's bin directory (Debian keeps them under /usr/lib/postgresql). */
function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    : []
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
  if (!newest) throw new Error(`no initdb under ${root}`)
  return path.join(root, newest, 'bin')
}

export interface PrivatePostgres {
  /** The cluster's `postgres` database. */
  url: string
  start(): Promise<void>
  /** A fast shutdown: sessions are ended, as in a restart or a failover. */
  stop(): Promise<void>
}

export async function privatePostgres(t: { teardown(fn: () => unknown): void }): Promise<PrivatePostgres> {
  const bin = binDir()
  const port = await freePort()
  const dir = mkdtempSync(path.join(tmpdir(), 'ua-pg-'))
  const data = path.join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const [uid, gid] = await Promise.all(
      ['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout)),
    )
    chownSync(dir, uid!, gid!)
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args)
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`
  const server: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start'])
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {})
    },
  }
  t.teardown(async () => {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  await server.start()
  return server
}
