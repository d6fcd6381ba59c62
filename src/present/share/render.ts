// Share cards drawn as PNG by resvg, off the event loop, from the SVG of card.ts, with Noto Sans
// CJK's Korean and Simplified Chinese fonts installed from npm (../fonts/cjk.ts). A card is drawn
// when first asked for and kept by this app instance under its exact text: a card whose text has
// not changed is never drawn again.
import { createHash } from 'node:crypto'
import { renderAsync } from '@resvg/resvg-js'
import { createCache } from '../../cache.ts'
import { CJK_FONTS } from '../fonts/cjk.ts'
import { cardKey, cardSvg, type CardText } from './card.ts'

const FONT_FILES = [CJK_FONTS.koRegular, CJK_FONTS.koBold, CJK_FONTS.zhRegular, CJK_FONTS.zhBold]

export interface DrawnCard {
  png: Buffer
  /** A strong validator from the card's text. */
  etag: string
}

export interface ShareCards {
  /** The card's PNG, drawn once per distinct text by this instance. */
  draw(card: CardText): Promise<DrawnCard>
}

// A campaign's card changes only at a rounding step: a few hundred cards cover every live
// campaign in three languages (about 40 KB each).
const KEPT = 300

export function createShareCards(): ShareCards {
  const drawn = createCache<string, Promise<DrawnCard>>({ max: KEPT })
  return {
    draw(card) {
      const key = cardKey(card)
      let png = drawn.get(key)
      if (!png) {
        png = render(card, key)
        drawn.set(key, png)
        png.catch(() => drawn.delete(key))
      }
      return png
    },
  }
}

async function render(card: CardText, key: string): Promise<DrawnCard> {
  const image = await renderAsync(cardSvg(card), {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'Noto Sans Korean' },
    textRendering: 1,
  })
  const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 16)}"`
  return { png: image.asPng(), etag }
}
