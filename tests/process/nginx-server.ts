// nginx from Debian's package running docs/nginx.conf as shipped, but for its ports: for
// tests/process/nginx.test.ts and bench/many-processes.ts, so that what the docs show is what runs.
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { freePort } from '../fault/private-redis.ts'

export const NGINX = process.env.NGINX ?? '/usr/sbin/nginx'
export const NGINX_INSTALL = 'apt-get install -y nginx-light (or set NGINX)'
const SITE_CONF = new URL('../../docs/nginx.conf', import.meta.url)

/** docs/nginx.conf with these upstream ports and this listen port; everything else as shipped. */
export function siteConfig(upstreams: number[], listen: number): string {
  const shipped = readFileSync(SITE_CONF, 'utf8')
  const servers = upstreams.map((p) => `\n    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('')
  const conf = shipped
    .replace(/(\n[ \t]*server 127\.0\.0\.1:\d+[^;]*;)+/, servers)
    .replace(/\n([ \t]*)listen 80;/, `\n$1listen 127.0.0.1:${listen};`)
  if (!conf.includes(`server 127.0.0.1:${upstreams[0]}`) || !conf.includes(`listen 127.0.0.1:${listen};`)) {
    throw new Error('docs/nginx.conf no longer has the upstream servers and `listen 80;` this replaces')
  }
  return conf
}

export interface Nginx {
  url: string
  pid: number
  /** Its error log so far. */
  errors(): string
  stop(): Promise<void>
}

/** nginx in the foreground with its files in a temporary directory; resolves once it answers /healthz. */
export async function startNginx(upstreams: number[]): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} not found; install it with: ${NGINX_INSTALL}`)
  const dir = mkdtempSync(join(os.tmpdir(), 'ua-nginx-'))
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, sub))
    chmodSync(join(dir, sub), 0o777) // nginx's worker runs as another user when started by root
  }
  chmodSync(dir, 0o755)
  const port = await freePort()
  writeFileSync(join(dir, 'site.conf'), siteConfig(upstreams, port))
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 4096; }',
      'http {',
      `  client_body_temp_path ${dir}/body;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  fastcgi_temp_path ${dir}/fastcgi;`,
      `  uwsgi_temp_path ${dir}/uwsgi;`,
      `  scgi_temp_path ${dir}/scgi;`,
      `  include ${dir}/site.conf;`,
      '}',
      '',
    ].join('\n'),
  )
  const child = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const errors = () => (existsSync(`${dir}/error.log`) ? readFileSync(`${dir}/error.log`, 'utf8') : '')
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  const until = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${errors()}`)
    try {
      const res = await fetch(url + '/healthz')
      await res.arrayBuffer()
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await stop()
      throw new Error('nginx not answering /healthz after 20 s')
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { url, pid: child.pid!, errors, stop }
}
