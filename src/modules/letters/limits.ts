// What a campaign's letter may hold, for every way it is written (the API's JSON, the console's forms).
export const LETTER_LIMITS = {
  subject: 200,
  body: 5_000,
} as const
