// Route input shared by several areas.
import { z } from 'zod'

/** A token from an emailed link; only its first 100 characters are ever looked at. */
export const tokenParam = z.object({ token: z.string().transform((s) => s.slice(0, 100)) })
