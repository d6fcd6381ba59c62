import { z } from 'zod'
import { locales } from '../../../../i18n/index.ts'
import { emailAddress } from '../../../schema.ts'

export const subscribeBody = z.object({
  email: emailAddress,
  locale: z.enum(locales as [string, ...string[]]).optional(),
  frequency: z.enum(['immediate', 'daily']).optional(),
  topics: z
    .object({
      campaigns: z
        .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/))
        .max(50)
        .optional(),
      provinces: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    })
    .optional(),
})
