// A letter request from the form or the API: alone, or with a signature when the supporter also
// signs ("sign and write in one go"): then the signature's one email and button confirm both, and
// the signing budget per network counts it as any signature (past it, held for review).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { overSigningBudget } from '../../modules/challenge/service.ts'
import { requestLetter, requireWords, type LetterInput } from '../../modules/platform-letters/service.ts'
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
  // Refused as this input names the field (the signature's own check would say `letter.body`).
  const campaignHasLetter = Object.keys(letter).length > 0
  if (!campaignHasLetter) await requireWords(app.db, campaign.id, body, 'body')
  const held = await overSigningBudget(app.redis, app.config, request.ip)
  return sign(
    app.db,
    app.config,
    campaign,
    { ...supporter, letter: { body, city } },
    { ...ctx, held, campaignHasLetter },
  )
}
