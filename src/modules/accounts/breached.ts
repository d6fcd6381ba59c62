// Is a password in the lists of passwords found in breaches? A Bloom filter over about 475,000 of
// them, shipped in the repository and built by scripts/breached-passwords.ts (which says where
// the list comes from, and why this false-positive rate).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BloomFilter } from 'bloomfilter'

export const FILTER_FILE = fileURLToPath(new URL('./breached-passwords.bloom', import.meta.url))

/** The rate the filter was built for: how often a password never breached is taken for one. */
export const FALSE_POSITIVE_RATE = 0.001

/** The form in which passwords are put in the filter and looked up: case does not make one new. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC').toLowerCase()
}

// Read once, at the first password set in this process: static data shipped with the code, like
// an imported JSON file, not state that needs an owner.
let filter: BloomFilter | undefined

function loaded(): BloomFilter {
  if (!filter) {
    const file = readFileSync(FILTER_FILE)
    const buckets = new Uint32Array((file.length - 4) / 4)
    for (let i = 0; i < buckets.length; i++) buckets[i] = file.readUInt32LE(4 + i * 4)
    filter = new BloomFilter(buckets, file.readUInt32LE(0))
  }
  return filter
}

/** True when the password is (probably: see FALSE_POSITIVE_RATE) in the breached list. */
export function isBreached(password: string): boolean {
  return loaded().test(normalisePassword(password))
}
