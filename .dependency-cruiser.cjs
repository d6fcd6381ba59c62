// Which folder may import which (docs/architecture.md explains the layers). Run by `npm run lint`
// and CI; .ci/area-cycles.mjs adds the one check this tool lacks: no cycle between two areas.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and hides which side owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'modules-are-rules-only',
      severity: 'error',
      comment: 'src/modules holds rules and SQL: no pages, no languages, no rendering, no requests, no jobs runner.',
      from: { path: '^src/modules/' },
      to: { path: '^(src/(routes|present|plugins|i18n)/|src/mail/render\\.ts|src/app\\.ts|src/server\\.ts|workers/)' },
    },
    {
      name: 'present-reads-modules-only',
      severity: 'error',
      comment: 'Presentation may read modules, never requests, plugins or workers.',
      from: { path: '^src/present/' },
      to: { path: '^(src/(routes|plugins)/|src/app\\.ts|src/server\\.ts|workers/)' },
    },
    {
      name: 'routes-not-workers',
      severity: 'error',
      comment: 'The web and the workers meet only through src/jobs and the database.',
      from: { path: '^src/(routes|plugins)/' },
      to: { path: '^workers/' },
    },
    {
      name: 'workers-not-web',
      severity: 'error',
      comment: 'A worker process never loads the web app.',
      from: { path: '^workers/' },
      to: { path: '^src/(routes|plugins)/|^src/app\\.ts|^src/server\\.ts' },
    },
    {
      name: 'plugins-not-routes',
      severity: 'error',
      comment: 'Plugins serve routes; a plugin that needs a route is a route.',
      from: { path: '^src/plugins/' },
      to: { path: '^src/routes/' },
    },
    {
      name: 'jobs-are-a-leaf',
      severity: 'error',
      comment: 'src/jobs is the contract between web and workers: it imports nothing of the app.',
      from: { path: '^src/jobs/' },
      to: { path: '^(src|workers)/', pathNot: '^src/jobs/' },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment: 'A migration must not change when the app does.',
      from: { path: '^migrations/' },
      to: { path: '^(src|workers)/' },
    },
    {
      name: 'no-tests-in-app',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { path: '^(tests|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs'] },
  },
}
