// Route input shared by several areas.
import { z } from 'zod'

/**
 * An email address as every form and JSON body takes it: trimmed, at most 254 characters, and
 * empty is "required", not "not a valid address" (the person typed nothing yet).
 */
export const emailAddress = z.string().trim().min(1).max(254).pipe(z.email())

/** A token from an emailed link; only its first 100 characters are ever looked at. */
export const tokenParam = z.object({ token: z.string().transform((s) => s.slice(0, 100)) })

/**
 * The answer to a request that waits for an emailed link: the same for a new address and a known
 * one, so that it says nothing about who signed or subscribed. Fastify serialises it by this
 * schema, and the API's description shows it.
 */
export const checkEmailResponse = {
  202: z.object({ status: z.literal('check-email') }).describe('An email with a link is on its way'),
}
