// A feature area's messages in all three languages, in one file. The type makes ko and zh
// carry exactly the keys of en, so a missing translation does not compile.
export type AreaMessages<T extends Record<string, string>> = {
  en: T
  ko: Record<keyof T, string>
  zh: Record<keyof T, string>
}

export function area<const T extends Record<string, string>>(messages: AreaMessages<T>): AreaMessages<T> {
  return messages
}
