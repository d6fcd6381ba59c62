// What an update may hold, for every way it is written (the API's JSON, the console's forms).
export const UPDATE_LIMITS = {
  title: 200,
  body: 5_000,
  /** Thresholds one campaign may set. */
  milestones: 10,
  threshold: 100_000_000,
} as const

export const UPDATE_KINDS = ['update', 'good-news', 'outcome'] as const
export const OUTCOMES = ['won', 'lost', 'closed'] as const
