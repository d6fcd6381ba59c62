// The one cache helper: every cache is made by the app or worker instance that uses it, so two
// instances in one process (tests run several) never see each other's entries.
export interface Cache<K, V> {
  get(key: K): V | undefined
  set(key: K, value: V): void
  delete(key: K): void
  clear(): void
  readonly size: number
}

/** At most `max` entries, the oldest dropped first; with `ttlMs`, an entry older than that is gone. */
export function createCache<K, V>({ max, ttlMs }: { max: number; ttlMs?: number }): Cache<K, V> {
  const entries = new Map<K, { value: V; at: number }>()
  return {
    get(key) {
      const hit = entries.get(key)
      if (!hit) return undefined
      if (ttlMs !== undefined && Date.now() - hit.at >= ttlMs) {
        entries.delete(key)
        return undefined
      }
      return hit.value
    },
    set(key, value) {
      entries.delete(key)
      if (entries.size >= max) entries.delete(entries.keys().next().value as K)
      entries.set(key, { value, at: Date.now() })
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size
    },
  }
}
