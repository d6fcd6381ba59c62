import t from 'tap'
import { confirmToken, randomNonce, verifyConfirmToken } from '../src/security.ts'

t.test('a confirm token verifies only as issued: no other spelling of its last characters', async (t) => {
  const secret = 's'.repeat(40)
  const nonce = randomNonce()
  const token = confirmToken(secret, 'erasure', nonce)
  t.same(verifyConfirmToken(secret, 'erasure', token), nonce)
  t.equal(verifyConfirmToken(secret, 'signature', token), undefined, 'another purpose')
  const dot = token.indexOf('.')
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  for (const at of [dot - 1, token.length - 1]) {
    // The last character of each part carries 4 padding bits: changing only those used to decode
    // to the same bytes and pass.
    for (const c of alphabet.replace(token[at]!, '')) {
      const altered = token.slice(0, at) + c + token.slice(at + 1)
      t.equal(verifyConfirmToken(secret, 'erasure', altered), undefined, `position ${at} as ${c}`)
    }
  }
})
