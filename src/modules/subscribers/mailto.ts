// The mailto: half of List-Unsubscribe (src/present/alerts/mail.ts): a message to MAIL_FROM's
// address whose Subject is `unsubscribe <token>`. `npm run cli -- mail:unsubscribe` takes one
// such message on stdin, as a mail server hands a message to a pipe (Postfix's pipe transport,
// a .forward, a Sieve or procmail rule).

const token = /\bunsubscribe\s+([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22})(?![A-Za-z0-9_.-])/i

/**
 * The unsubscribe token in a message's Subject, if it holds one. Only the header is read; a
 * reply's "Re:" in front is fine. A mail client sends the subject of a mailto: link as given,
 * ASCII, so an RFC 2047 encoded Subject is not one of ours.
 */
export function unsubscribeTokenIn(message: string): string | undefined {
  const end = message.search(/\r?\n\r?\n/)
  const header = (end === -1 ? message : message.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ')
  const subject = /^subject:(.*)$/im.exec(header)?.[1]
  return subject ? token.exec(subject)?.[1] : undefined
}
