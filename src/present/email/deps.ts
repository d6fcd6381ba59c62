import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import type { EmailRenderer } from '../../mail/render.ts'

/** What the email composers read with: the instance's database and config, and its renderer. */
export interface PresentDeps {
  db: Db
  config: Config
  render: EmailRenderer
}
