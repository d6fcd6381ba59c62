// IANA time zones as Intl knows them: an organizer's console shows times in one and counts its
// "today" by it. A leaf, like locale.ts: modules, routes and views may all import it.

/** The zone's canonical name ("asia/seoul" -> "Asia/Seoul"), or undefined if Intl knows no such zone. */
export function canonicalTimeZone(value: string): string | undefined {
  // Offsets ("+09:00") are zones to Intl but not places: a summer-time change would be missed.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return undefined
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

let names: readonly string[] | undefined
/** Every zone Intl lists, for the account page's suggestions (computed once per process). */
export function timeZoneNames(): readonly string[] {
  return (names ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')])
}
