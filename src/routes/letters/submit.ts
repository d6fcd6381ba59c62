// A letter request from the form or the API: alone, or with a signature when the supporter also
// signs ("sign and write in one go"): then the signature's one email and button confirm both, and
// the signing budget per network counts it as any signature (past it, held for review).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { overSigningBudget } from '../../modules/challenge/service.ts'
import { requestLetter, type LetterInput } from '../../modules/platform-letters/service.ts'
import { sign } from '../../modules/signatures/service.ts'
import type { PageData } from '../../present/campaigns/page-cache.ts'

export async function submitLetter(
  app: FastifyInstance,
  request: FastifyRequest,
  { campaign, letter }: Pick<PageData, 'campaign' | 'letter'>,
  { sign: alsoSign, body, city, ...supporter }: LetterInput & { sign?: boolean | undefined },
) {
  const ctx = { locale: request.locale, ip: request.ip }
  if (!alsoSign) return requestLetter(app.db, app.config, campaign, { ...supporter, body, city }, ctx)
  const campaignHasLetter = Object.keys(letter).length > 0
  const held = await overSigningBudget(app.redis, app.config, request.ip)
  // A refusal names the words as this input does (`body`), not as the signatures API (`letter.body`).
  return sign(
    app.db,
    app.config,
    campaign,
    { ...supporter, letter: { body, city } },
    { ...ctx, held, campaignHasLetter, bodyField: 'body' },
  )
}
