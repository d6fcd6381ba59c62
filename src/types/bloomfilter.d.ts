// The part of bloomfilter (jasondavies/bloomfilter.js, which ships no types) that the app uses.
declare module 'bloomfilter' {
  export class BloomFilter {
    /** `m` bits, or the 32-bit buckets of a filter built before; `k` hash functions. */
    constructor(m: number | ArrayLike<number>, k: number)
    readonly m: number
    readonly k: number
    readonly buckets: Uint32Array
    add(value: string): void
    /** False: certainly not added. True: added, or a false positive. */
    test(value: string): boolean
    /** The false-positive rate expected from the bits set so far. */
    error(): number
    static withTargetError(n: number, error: number): BloomFilter
  }
}
