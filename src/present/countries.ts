import { createCache } from '../cache.ts'
import { countryCodes, countryOptions, type CountryOption } from '../i18n/countries.ts'
import type { Locale } from '../locale.ts'

export type CountryOptions = (locale: Locale, codes?: readonly string[]) => readonly CountryOption[]

/** countryOptions, memoised by one app instance: the forms list the countries on every render. */
export function createCountryOptions(): CountryOptions {
  const lists = createCache<string, CountryOption[]>({ max: 100 })
  return (locale, codes = countryCodes) => {
    const key = codes === countryCodes ? locale : `${locale}:${codes.join()}`
    let list = lists.get(key)
    if (!list) lists.set(key, (list = countryOptions(locale, codes)))
    return list
  }
}
