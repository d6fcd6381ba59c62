// The iframe that puts a campaign's form on a partner's site: the console shows it to paste, and
// the oEmbed answer gives it to consumers.

/** The iframe's size in the snippet and the oEmbed answer: the form fits a phone's width. */
export const EMBED_SIZE = { width: 400, height: 900 } as const

/** The iframe a partner site pastes: its address, title and size. */
export function embedSnippet(
  publicUrl: string,
  slug: string,
  title: string,
  size: { width: number; height: number } = EMBED_SIZE,
): string {
  const attr = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return (
    `<iframe src="${attr(`${publicUrl}/campaigns/${slug}/embed`)}" title="${attr(title)}" ` +
    `width="${size.width}" height="${size.height}" loading="lazy"></iframe>`
  )
}
