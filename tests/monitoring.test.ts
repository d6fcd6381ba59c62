// The Grafana dashboard and the Prometheus rules in docs/monitoring ask only for metrics the
// processes export (src/metrics.ts): a renamed metric must not leave an alert that never fires.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { Metrics } from '../src/metrics.ts'

const read = (file: string) => readFileSync(new URL(`../docs/monitoring/${file}`, import.meta.url), 'utf8')

const exported = new Set(
  (await new Metrics().registry.getMetricsAsJSON()).flatMap((m) =>
    String(m.type) === 'histogram' ? [m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name],
  ),
)
const used = (expr: string) => expr.match(/\bua_[a-z_]+\b/g) ?? []

t.test('every alert rule is valid and asks for exported metrics', async (t) => {
  const rules = parse(read('prometheus-rules.yml')) as {
    groups: { name: string; rules: { alert: string; expr: string; labels: Record<string, string> }[] }[]
  }
  const all = rules.groups.flatMap((g) => g.rules)
  t.ok(all.length >= 4)
  for (const names of ['OutboxBacklog', 'QueuePaused', 'FailedJobs'])
    t.ok(
      all.some((r) => r.alert === names),
      names,
    )
  for (const rule of all) {
    t.ok(used(rule.expr).length > 0, `${rule.alert} uses our metrics`)
    for (const name of used(rule.expr)) t.ok(exported.has(name), `${rule.alert}: ${name} is exported`)
    t.ok(rule.labels.severity, `${rule.alert} has a severity`)
  }
})

t.test('every dashboard panel asks for exported metrics', async (t) => {
  const dashboard = JSON.parse(read('grafana-dashboard.json')) as {
    panels: { title: string; targets: { expr: string }[] }[]
  }
  t.ok(dashboard.panels.length >= 6)
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) {
      t.ok(used(target.expr).length > 0, `${panel.title} uses our metrics`)
      for (const name of used(target.expr)) t.ok(exported.has(name), `${panel.title}: ${name} is exported`)
    }
  }
})
