// There is no Docker engine in CI, so `docker compose up` is checked by reading the files it uses.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { parseConfig } from '../src/config.ts'

const root = new URL('../', import.meta.url)
const read = (file: string) => readFileSync(new URL(file, root), 'utf8')
const exists = (file: string) => existsSync(new URL(file, root))

interface Service {
  image?: string
  entrypoint?: string | string[]
  volumes?: string[]
  build?: unknown
  command?: string | string[]
  environment?: Record<string, string | number | boolean | null> | string[]
  ports?: (string | number | { target: number; published?: string | number })[]
  depends_on?: string[] | Record<string, { condition?: string }>
  healthcheck?: { test?: string | string[]; disable?: boolean }
}

// Compose honours YAML merge keys (`<<: *app`); the yaml package does only when asked.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> }
const services = compose.services
/** A service that must exist: a missing one fails the test that asks for it. */
function svc(name: string): Service {
  const found = services[name]
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`)
  return found
}
const dockerfile = read('Dockerfile')

const words = (command: Service['command']): string[] =>
  Array.isArray(command) ? command.map(String) : (command ?? '').split(/\s+/).filter(Boolean)

function env(service: Service): Record<string, string> {
  const e = service.environment ?? {}
  if (Array.isArray(e)) return Object.fromEntries(e.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]))
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v == null ? '' : String(v)]))
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const d = service.depends_on ?? {}
  if (Array.isArray(d)) return Object.fromEntries(d.map((name) => [name, undefined]))
  return Object.fromEntries(Object.entries(d).map(([name, v]) => [name, v?.condition]))
}

function publishedTargets(service: Service): number[] {
  return (service.ports ?? []).map((p) =>
    typeof p === 'object' ? Number(p.target) : Number(String(p).split('/')[0]!.split(':').at(-1)),
  )
}

// The schema keys of src/config.ts, read as text so the test trusts no list the app keeps itself.
const configSource = read('src/config.ts')
const schemaBody = configSource.match(/\.object\(\{([\s\S]*?)\n\s*\}\)/)?.[1] ?? ''
const knownVariables = new Set([...schemaBody.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]))

const appServices = ['web', 'worker'] as const
/** What the `secret` service makes at first start. */
const generatedKey = randomBytes(32).toString('hex')

t.test('config keys are read from src/config.ts', async (t) => {
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'SECRET_KEY', 'HOST', 'PUBLIC_URL']) {
    t.ok(knownVariables.has(name), `${name} found in the schema`)
  }
})

t.test('compose runs postgres, redis, mailpit, web and worker, each with a healthcheck', async (t) => {
  for (const name of ['postgres', 'redis', 'mailpit', 'web', 'worker']) {
    const service = services[name]
    t.ok(service, `${name} is a service`)
    const check = service?.healthcheck
    t.ok(check && !check.disable && words(check.test).length > 1, `${name} has a healthcheck`)
  }
  t.match(svc('postgres').image, /^postgres:16/)
  t.match(svc('redis').image, /^redis:7/)
  t.match(svc('mailpit').image, /^axllent\/mailpit/)
})

t.test('redis keeps queued jobs: append-only file and no eviction', async (t) => {
  const args = words(svc('redis').command).join(' ')
  t.match(args, /--appendonly yes\b/)
  t.match(args, /--maxmemory-policy noeviction\b/)
})

t.test('web publishes 3000 and mailpit its UI on 8025', async (t) => {
  t.ok(publishedTargets(svc('web')).includes(3000), 'web publishes 3000')
  t.ok(publishedTargets(svc('mailpit')).includes(8025), 'mailpit publishes 8025')
})

t.test('no SECRET_KEY in the file: one is generated at first start and kept in a volume', async (t) => {
  const secret = svc('secret')
  const makes = words(secret.command).join(' ')
  t.match(makes, /test -s \/run\/ua-secret\/key \|\|/, 'made once, kept after')
  t.match(makes, /\/dev\/urandom/, 'from the system random source')
  t.ok(secret.volumes?.includes('secret:/run/ua-secret'), 'into the secret volume')
  for (const name of ['demo', ...appServices]) {
    const service = svc(name)
    t.equal(env(service).SECRET_KEY, undefined, `${name}: no key written in a file anybody can read`)
    t.ok(service.volumes?.includes('secret:/run/ua-secret:ro'), `${name} mounts the key read-only`)
    t.match(words(service.entrypoint).join(' '), /SECRET_KEY:-\$\$\(cat \/run\/ua-secret\/key\)/, `${name} reads it`)
    t.equal(dependsOn(service).secret, 'service_completed_successfully', `${name} waits for it`)
  }
})

t.test('Mailpit, which shows every confirm and invitation link, is published on this machine only', async (t) => {
  const ports = (svc('mailpit').ports ?? []).map(String)
  t.ok(ports.length > 0)
  for (const port of ports) t.match(port, /^127\.0\.0\.1:/, port)
})

t.test('web and worker wait for healthy postgres and redis', async (t) => {
  for (const name of appServices) {
    const deps = dependsOn(svc(name))
    t.equal(deps.postgres, 'service_healthy', `${name} waits for postgres`)
    t.equal(deps.redis, 'service_healthy', `${name} waits for redis`)
  }
})

t.test('web and worker reach the compose services by name', async (t) => {
  for (const name of appServices) {
    const e = env(svc(name))
    t.equal(new URL(e.DATABASE_URL ?? '').hostname, 'postgres', `${name} DATABASE_URL`)
    t.equal(new URL(e.REDIS_URL ?? '').hostname, 'redis', `${name} REDIS_URL`)
    const smtp = new URL(e.SMTP_URL ?? '')
    t.equal(`${smtp.hostname}:${smtp.port}`, 'mailpit:1025', `${name} SMTP_URL`)
  }
})

t.test('web and worker set only variables the config knows, with values it accepts', async (t) => {
  for (const name of appServices) {
    const e = env(svc(name))
    for (const key of Object.keys(e)) t.ok(knownVariables.has(key), `${name}: ${key} is in src/config.ts`)
    const config = parseConfig({ ...e, SECRET_KEY: generatedKey })
    t.equal(config.devOutbox, false, `${name}: /dev/outbox stays off`)
    t.equal(config.smtpUrl, e.SMTP_URL)
  }
  t.equal(
    parseConfig({ ...env(svc('web')), SECRET_KEY: generatedKey }).host,
    '0.0.0.0',
    'web listens beyond the container loopback',
  )
})

t.test('the demo campaign is loaded before web starts', async (t) => {
  const loadsDemo = (s: Service | undefined) => !!s && words(s.command).join(' ').includes('src/cli.ts demo:load')
  const loaders = Object.entries(dependsOn(svc('web'))).filter(
    ([name, condition]) => condition === 'service_completed_successfully' && loadsDemo(svc(name)),
  )
  t.ok(loadsDemo(svc('web')) || loaders.length > 0, 'web loads the demo or waits for a service that does')
})

t.test('compose commands and the image CMD name files that exist', async (t) => {
  const cmd = dockerfile.match(/^CMD\s+(\[.*\])\s*$/m)
  t.ok(cmd, 'the Dockerfile has an exec-form CMD')
  const commands: [string, string[]][] = [['Dockerfile CMD', cmd ? (JSON.parse(cmd[1]!) as string[]) : []]]
  for (const [name, service] of Object.entries(services)) {
    if (service.build !== undefined) commands.push([name, words(service.command)])
  }
  for (const [name, argv] of commands) {
    const scripts = argv.filter((w) => /\.ts$/.test(w))
    t.ok(scripts.length > 0, `${name} runs a script`)
    for (const file of scripts) t.ok(exists(file), `${name}: ${file} exists`)
  }
  t.ok(words(svc('web').command).includes('src/server.ts'), 'web runs src/server.ts')
  t.ok(words(svc('worker').command).includes('workers/index.ts'), 'worker runs workers/index.ts')
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }
  t.same(
    words(svc('worker').command),
    pkg.scripts.worker!.split(' '),
    'the worker runs as `npm run worker` does (its heap cap too)',
  )
})

t.test('the Dockerfile is multi-stage, drops root and checks health', async (t) => {
  const instructions = dockerfile.split('\n').filter((l) => !/^\s*#/.test(l))
  t.ok(instructions.filter((l) => /^FROM\s/i.test(l)).length >= 2, 'at least two FROM stages')
  const users = instructions.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1])
  t.ok(users.length > 0, 'a USER is set')
  t.notMatch(users.at(-1) ?? 'root', /^(root|0)(:|$)/, 'the last USER is not root')
  t.ok(
    instructions.some((l) => /^HEALTHCHECK\s+(?!NONE)/i.test(l)),
    'a HEALTHCHECK',
  )
  t.ok(
    instructions.some((l) => /^EXPOSE\s+3000\b/i.test(l)),
    'EXPOSE 3000',
  )
  t.ok(
    instructions.some((l) => /\bHOST=0\.0\.0\.0\b/.test(l)),
    'HOST=0.0.0.0 in the image',
  )
  for (const m of dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)) {
    const sources = m[1]!.trim().split(/\s+/).slice(0, -1)
    for (const source of sources) t.ok(exists(source), `COPY ${source} exists`)
  }
  for (const dir of ['src', 'workers', 'migrations', 'views', 'public']) {
    t.match(dockerfile, new RegExp(`^COPY\\s+${dir}\\s`, 'm'), `the image holds ${dir}/`)
  }
})

t.test('.dockerignore keeps local state out of the build context', async (t) => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
  for (const entry of ['node_modules', 'var', '.git', '.tap', 'coverage']) t.ok(ignored.includes(entry), entry)
})

t.test('docs/compose.scale.yml: two web and two worker replicas behind nginx running docs/nginx.conf', async (t) => {
  // Compose's `!reset` tag empties a list the base file sets; the yaml package needs to be told of it.
  const reset = { tag: '!reset', collection: 'seq' as const, resolve: () => [] }
  const scale = parse(read('docs/compose.scale.yml'), { merge: true, customTags: [reset] }) as {
    services: Record<string, Service & { deploy?: { replicas?: number } }>
  }
  const { web, worker, proxy } = scale.services
  t.equal(web?.deploy?.replicas, 2)
  t.equal(worker?.deploy?.replicas, 2)
  t.same(web?.ports, [], 'the web replicas publish no port: only the proxy does')
  t.equal(env(web!).TRUST_PROXY, 'true', 'and believe the one proxy before them')
  t.ok(knownVariables.has('TRUST_PROXY'))
  t.same(publishedTargets(proxy!), [80])
  t.same(dependsOn(proxy!), { web: 'service_healthy' })
  const mount = proxy!.volumes?.[0]?.split(':') ?? []
  t.equal(mount[0], './docs/nginx.conf', 'the shipped nginx file, relative to the project directory')
  t.ok(exists(mount[0]!.slice(2)))

  // The proxy's sed, applied here as the container would: the upstream becomes the `web` service.
  const script = words(proxy!.command).join(' ')
  const sedArgs = /sed -E '([^']*)'/.exec(script)?.[1]
  t.ok(sedArgs, 'the command rewrites the file with sed')
  let conf = read('docs/nginx.conf')
  for (const cmd of sedArgs!.split('; ')) {
    const del = /^\/(.*)\/d$/.exec(cmd)
    const sub = /^s\/(.*)\/(.*)\/$/.exec(cmd)
    if (del) conf = conf.replace(new RegExp(`^.*${del[1]}.*\\n`, 'gm'), '')
    else if (sub) conf = conf.replace(new RegExp(sub[1]!, 'g'), sub[2]!)
    else t.fail(`unexpected sed command ${cmd}`)
  }
  t.equal(conf.match(/server web:3000 /g)?.length, 1, 'one upstream line, the web service')
  t.notMatch(conf, '127.0.0.1', 'no host address left')
  t.match(conf, /\n\s*listen 80;/, 'nginx listens where the proxy publishes')
})
