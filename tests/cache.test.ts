import t from 'tap'
import { createCache } from '../src/cache.ts'
import { sleep } from './helper.ts'

t.test('a cache holds at most max entries, dropping the oldest first', async (t) => {
  const cache = createCache<string, number>({ max: 2 })
  cache.set('a', 1)
  cache.set('b', 2)
  cache.set('c', 3)
  t.equal(cache.size, 2)
  t.equal(cache.get('a'), undefined)
  t.same([cache.get('b'), cache.get('c')], [2, 3])
})

t.test('an entry older than ttlMs is gone', async (t) => {
  const cache = createCache<string, number>({ max: 10, ttlMs: 50 })
  cache.set('a', 1)
  t.equal(cache.get('a'), 1)
  await sleep(80)
  t.equal(cache.get('a'), undefined)
  t.equal(cache.size, 0, 'the expired entry is dropped when read')
})
