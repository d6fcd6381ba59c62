// What a target may hold, for every way it is written (the API's JSON, the console's forms).
export const TARGET_LIMITS = {
  name: 200,
  title: 200,
  organisation: 200,
  email: 254,
  postalAddress: 1000,
  website: 500,
  /** Targets one campaign may name. */
  perCampaign: 20,
} as const

/** A target's id as the API and the console's forms carry it. */
export const TARGET_ID = /^\d{1,18}$/
