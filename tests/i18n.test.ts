import t from 'tap'
import { catalogs, negotiate, translator } from '../src/i18n/index.ts'

const { en, ko, zh } = catalogs
import { countryOptions, isCountryCode } from '../src/i18n/countries.ts'
import { emailKey } from '../src/modules/email-key.ts'

t.test('every catalog has every key, with the same placeholders', async (t) => {
  for (const [name, catalog] of Object.entries({ ko, zh })) {
    t.same(Object.keys(catalog).sort(), Object.keys(en).sort(), name)
    for (const [key, text] of Object.entries(en)) {
      const want = (text.match(/\{\w+\}/g) ?? []).sort()
      t.same(((catalog as Record<string, string>)[key]!.match(/\{\w+\}/g) ?? []).sort(), want, `${name} ${key}`)
    }
  }
})

t.test('Accept-Language negotiation by q-value', async (t) => {
  t.equal(negotiate(undefined), 'en')
  t.equal(negotiate('ko-KR,ko;q=0.9,en;q=0.8'), 'ko')
  t.equal(negotiate('fr;q=1, zh-CN;q=0.8, en;q=0.5'), 'zh')
  t.equal(negotiate('en;q=0.1, zh-Hans;q=0.9'), 'zh')
  t.equal(negotiate('de, fr'), 'en')
  t.equal(negotiate('ko;q=0'), 'en')
  // Asked again, the remembered answers are the same; past the memo's bound it starts again.
  t.equal(negotiate('ko-KR,ko;q=0.9,en;q=0.8'), 'ko')
  t.equal(negotiate('fr;q=1, zh-CN;q=0.8, en;q=0.5'), 'zh')
  const many = Array.from({ length: 1500 }, (_, i) => ['ko', 'zh', 'en'][i % 3])
  t.same(
    many.map((want, i) => negotiate(`x-${i}, ${want}`)),
    many,
    '1,500 different headers',
  )
  t.equal(negotiate('ko;q=0'), 'en')
  t.equal(negotiate(`${'x-long;q=0.5, '.repeat(15)}zh`), 'zh', 'a long header is ranked, not remembered')
  t.equal(translator('ko')('campaign.count', { count: '1,234' }), '서명 1,234명')
})

t.test('countries are ISO codes with names in each language', async (t) => {
  t.ok(isCountryCode('KR'))
  t.notOk(isCountryCode('XX'))
  t.equal(countryOptions('ko').find((c) => c.code === 'KP')?.name, '북한')
  t.equal(countryOptions('zh').find((c) => c.code === 'CN')?.name, '中国')
})

t.test('email addresses are normalised before the uniqueness check', async (t) => {
  t.equal(emailKey('  Ann.Lee+tag@GMail.com '), 'annlee@gmail.com')
  t.equal(emailKey('ann.lee@googlemail.com'), 'annlee@gmail.com')
  t.equal(emailKey('Kim+x@Naver.com'), 'kim@naver.com')
  t.equal(emailKey('first.last+x@example.org'), 'first.last+x@example.org', 'unknown providers keep their +tag')
  t.equal(emailKey('A@Example.ORG'), 'a@example.org')
})
