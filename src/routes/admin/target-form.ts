// The console's target form: flat fields from an HTML form, read by the API's own schema so the
// console and the API accept exactly the same targets.
import { z } from 'zod'
import type { TargetFields, TargetRow } from '../../modules/targets/service.ts'
import { formBody, messageOf, passIssue } from '../../plugins/validation.ts'
import { targetFields } from '../api/v1/targets/index.ts'
import { targetBody } from '../api/v1/targets/schema.ts'
import type { FormValues } from './forms.ts'

/** The form's fields from a stored target. */
export function targetValues(t: TargetRow): FormValues {
  return {
    name: t.name,
    title: t.title ?? '',
    organisation: t.organisation,
    country: t.country.trim(),
    locale: t.locale,
    email: t.email ?? '',
    postalAddress: t.postal_address ?? '',
    website: t.website ?? '',
    ...(t.platform_only ? { platformOnly: 'on' } : {}),
  }
}

export const targetForm = formBody(
  z.custom<FormValues>().transform((v, ctx): TargetFields => {
    const result = targetBody.safeParse({
      name: v.name ?? '',
      title: v.title,
      organisation: v.organisation ?? '',
      country: v.country ?? '',
      locale: v.locale ?? '',
      email: v.email,
      postalAddress: v.postalAddress,
      website: v.website,
      platformOnly: v.platformOnly === 'on',
    })
    if (result.success) return targetFields(result.data)
    const seen = new Set<string>()
    for (const issue of result.error.issues) {
      const field = issue.path.join('.')
      if (seen.has(field)) continue
      seen.add(field)
      passIssue(ctx, field, field === 'country' ? 'console.report.countryPick' : messageOf(issue))
    }
    return z.NEVER
  }),
)
