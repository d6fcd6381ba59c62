// `npm run demo`: migrate, load the demo campaign, run web and workers, say where to look.
import { loadConfig } from './config.ts'
import { loadDemo } from './modules/demo/service.ts'
import { prepareDatabase } from './runtime.ts'

const config = loadConfig()
const db = await prepareDatabase(config).catch((err: Error) => {
  console.error(`startup: ${err.message}`)
  process.exit(1)
})
const { slug } = await loadDemo(db)
await db.destroy()

console.log(`
  Urgent Action demo
  ------------------
  The petition:   ${config.publicUrl}/campaigns/${slug}
  All campaigns:  ${config.publicUrl}/
  The tracker:    ${config.publicUrl}/reports
  ${config.devOutbox ? `Emails sent:    ${config.publicUrl}/dev/outbox   (SMTP_URL is unset, so mail is written to ${config.outboxDir})` : `Emails go to:   ${config.smtpUrl}`}
  Stop with Ctrl-C.
`)
await import('./server.ts')
