// `npm run demo`: migrate, load the demo campaign, run web and workers, say where to look.
import { loadConfig } from './config.ts'
import { DEMO_ORGANIZER, demoOrganizerPassword } from './modules/demo/organizer.ts'
import { loadDemo } from './modules/demo/service.ts'
import { prepareDatabase } from './runtime.ts'

// The demo is what /dev/outbox is for (a newcomer reads the emails there); `npm start` shows it only
// when DEV_OUTBOX says so. Set here, before server.ts below reads the same environment.
process.env.DEV_OUTBOX ||= 'true'
const config = loadConfig()
if (config.env === 'production') {
  console.error('npm run demo is for trying the platform out; use npm start in production')
  process.exit(1)
}
const db = await prepareDatabase(config).catch((err: Error) => {
  console.error(`startup: ${err.message}`)
  process.exit(1)
})
const { slug } = await loadDemo(db)
const password = await demoOrganizerPassword(db)
await db.destroy()
const outbox = config.devOutbox ? `${config.publicUrl}/dev/outbox` : 'your mail server'

console.log(`
  Urgent Action demo
  ------------------
  The petition:   ${config.publicUrl}/campaigns/${slug}
  All campaigns:  ${config.publicUrl}/
  The tracker:    ${config.publicUrl}/reports
  ${config.devOutbox ? `Emails sent:    ${outbox}   (SMTP_URL is unset, so mail is written to ${config.outboxDir})` : `Emails go to:   ${config.smtpUrl}`}
  The console:    ${config.publicUrl}/admin   ${DEMO_ORGANIZER} / ${password}   (a new password each run)

  Try it: sign the petition with "Email me alerts" ticked, open the confirm link in
  ${outbox} and press the button; then in the console open Reports, create one,
  and publish it: the alert email appears in ${outbox} a moment later.
  Stop with Ctrl-C.
`)
await import('./server.ts')
