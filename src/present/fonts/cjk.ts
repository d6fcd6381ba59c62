// Noto Sans CJK's Korean and Simplified Chinese fonts, installed from npm with the app (no system
// font is read, so a share card or a PDF looks the same on every machine, and Hangul and Han never
// come out as boxes). Both carry Latin too; the Korean one carries the common Hanja, the Chinese
// one no Hangul.
import { fileURLToPath } from 'node:url'

function fontFile(pkg: string, file: string): string {
  return fileURLToPath(new URL(`../fonts/${file}`, import.meta.resolve(pkg)))
}

export const CJK_FONTS = {
  koRegular: fontFile('@embedpdf/fonts-kr', 'NotoSansKR-Regular.otf'),
  koBold: fontFile('@embedpdf/fonts-kr', 'NotoSansKR-Bold.otf'),
  zhRegular: fontFile('@embedpdf/fonts-sc', 'NotoSansHans-Regular.otf'),
  zhBold: fontFile('@embedpdf/fonts-sc', 'NotoSansHans-Bold.otf'),
} as const
