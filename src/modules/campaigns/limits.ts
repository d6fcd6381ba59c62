// What a campaign may hold, for every way it is written (the API's JSON, the console's forms).
export const CAMPAIGN_LIMITS = {
  title: 200,
  summary: 500,
  body: 50_000,
  target: 200,
  ask: 500,
  asks: 20,
  goal: 100_000_000,
} as const

/** A campaign's address: lowercase letters, digits and hyphens, 3 to 80, not starting with a hyphen. */
export const SLUG_FORMAT = /^[a-z0-9][a-z0-9-]{2,79}$/
