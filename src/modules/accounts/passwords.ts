// The password rules of ASVS 5.0 (V6.2): at least 8 characters, long ones accepted, no
// composition rules, no password found in breaches (breached.ts: about 475,000 of them, checked
// offline), and none made of the person's own name or address or the organisation's name.
import { isBreached, normalisePassword } from './breached.ts'

export const MIN_LENGTH = 8
export const MAX_LENGTH = 128

/** The message keys (src/i18n) of what can be wrong with a new password. */
export type PasswordProblem = `console.password.${'short' | 'long' | 'common' | 'personal'}`

/** Whose password it is: words it must not be made of. */
export interface PasswordOwner {
  email: string
  name: string
  /** The organisation's names, as its people know it (the sender name of its emails, its domain). */
  organisation: readonly string[]
}

// Spaces, dots, dashes and the like do not make a name into another word: "Jane Doe" is in
// "jane.doe.2024" and "urgent-action!".
const squash = (s: string) => normalisePassword(s).replace(/[\s\p{P}\p{S}]+/gu, '')

// Han and Hangul carry a syllable a character: a two-character Korean or Chinese given name is as
// telling as a four-letter Latin one, and shorter Latin words ("Li", "Kim") are in too many passwords.
const meaningful = (word: string) => [...word].length >= (/[\p{Script=Han}\p{Script=Hangul}]/u.test(word) ? 2 : 4)

function personalWords({ email, name, organisation }: PasswordOwner): string[] {
  const [local = '', domain = ''] = email.split('@')
  const words = [email, local, ...local.split(/[._+-]/), domain.split('.')[0] ?? '']
  words.push(name, ...name.split(/\s+/), ...organisation)
  for (const org of organisation) words.push(...org.split(/\s+/))
  return [...new Set(words.map(squash))].filter(meaningful)
}

/** What is wrong with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string, owner: PasswordOwner): PasswordProblem | undefined {
  // Characters, not UTF-16 units: a Korean or Chinese passphrase counts the way people count it.
  const length = [...password].length
  if (length < MIN_LENGTH) return 'console.password.short'
  if (length > MAX_LENGTH) return 'console.password.long'
  if (isBreached(password)) return 'console.password.common'
  const squashed = squash(password)
  if (personalWords(owner).some((word) => squashed.includes(word))) return 'console.password.personal'
  return undefined
}
