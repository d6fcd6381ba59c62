// A newcomer's first runs: a bench script that lacks a program or a service says which, and the
// command that installs it, before it starts anything.
import { execFile } from 'node:child_process'
import t from 'tap'

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', script],
      { env: { ...process.env, ...env } },
      (_e, _o, stderr) => resolve({ code: child.exitCode, stderr }),
    )
  })
}

t.test('the fan-out bench without smtp-sink names Postfix and how to install it', async (t) => {
  const res = await run('bench/fanout.ts', { SMTP_SINK: '/nonexistent/smtp-sink' })
  t.equal(res.code, 1)
  t.match(res.stderr, 'fanout: /nonexistent/smtp-sink not found; install it with: ')
  t.match(res.stderr, 'apt-get install -y postfix')
  t.notMatch(res.stderr, 'ENOENT', 'no bare spawn error')
})

t.test('a bench script that cannot reach Postgres says so and how to start it', async (t) => {
  const res = await run('bench/seed.ts', { BENCH_PG_URL: 'postgres://postgres@127.0.0.1:1' })
  t.equal(res.code, 1)
  t.match(res.stderr, 'seed: Postgres is not reachable at postgres://127.0.0.1:1; apt-get install -y postgresql')
})

t.test('the spam score bench without spamassassin names the package', async (t) => {
  const res = await run('bench/spam-score.ts', { SPAMASSASSIN: '/nonexistent/spamassassin' })
  t.equal(res.code, 1)
  t.match(res.stderr, 'apt-get install -y spamassassin')
})
