// The petition's PDF attachment, drawn by pdfkit with the CJK fonts installed from npm (../fonts/cjk.ts):
// each run of text in the Korean font when it holds Hangul, in the Chinese one when it holds Han
// without Hangul (a Chinese name), else in the document's own. Only the fonts a document uses are
// read, and pdfkit embeds the glyphs it draws, not the whole font.
import PDFDocument from 'pdfkit'
import { formatNumber, translator } from '../../i18n/index.ts'
import { CJK_FONTS } from '../fonts/cjk.ts'
import type { PetitionDocument } from './document.ts'

/** Names listed in the PDF; past them it points to the CSV, which has every one. */
export const PDF_NAMES = 5000

const HANGUL = /\p{Script=Hangul}/u
const HAN = /\p{Script=Han}/u

type Face = 'ko' | 'zh'

function faceFor(text: string, base: Face): Face {
  if (HANGUL.test(text)) return 'ko'
  if (HAN.test(text)) return 'zh'
  return base
}

export function petitionPdf(doc: PetitionDocument): Promise<Buffer> {
  const t = translator(doc.locale)
  const n = (v: number) => formatNumber(doc.locale, v)
  const base: Face = doc.locale === 'zh' ? 'zh' : 'ko'
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 56,
    lang: doc.locale,
    info: { Title: doc.title, Subject: t('petition.pdf.count', { count: n(doc.count) }), Creator: doc.site },
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
  })
  pdf.registerFont('ko', CJK_FONTS.koRegular)
  pdf.registerFont('ko-bold', CJK_FONTS.koBold)
  pdf.registerFont('zh', CJK_FONTS.zhRegular)
  pdf.registerFont('zh-bold', CJK_FONTS.zhBold)
  const write = (text: string, size: number, options: PDFKit.Mixins.TextOptions & { bold?: boolean } = {}) => {
    const { bold, ...rest } = options
    const face = faceFor(text, base)
    pdf
      .font(bold ? `${face}-bold` : face)
      .fontSize(size)
      .text(text, rest)
  }
  const heading = (text: string) => {
    pdf.moveDown(0.8)
    write(text, 14, { bold: true })
    pdf.moveDown(0.3)
  }

  write(doc.title, 20, { bold: true })
  pdf.moveDown(0.3)
  pdf.fillColor('#5c5c57')
  write(t('petition.pdf.delivered', { ...doc.target, date: doc.deliveredOn }), 10)
  pdf.fillColor('#1d1d1b')
  pdf.moveDown(0.6)
  write(t('petition.pdf.count', { count: n(doc.count) }), 16, { bold: true })
  pdf.moveDown(0.4)
  write(doc.summary, 11)

  heading(t('petition.pdf.asks'))
  doc.asks.forEach((ask, i) => write(`${i + 1}. ${ask}`, 11, { paragraphGap: 3 }))

  heading(t('petition.pdf.text'))
  for (const p of doc.paragraphs) write(p, 11, { paragraphGap: 6 })

  heading(t('petition.pdf.byCountry'))
  for (const c of doc.byCountry) write(`${c.name}: ${n(c.count)}`, 11, { paragraphGap: 2 })
  pdf.moveDown(0.3)
  pdf.fillColor('#5c5c57')
  write(t('petition.pdf.otherNote', { min: doc.minCountry }), 9)
  pdf.fillColor('#1d1d1b')

  heading(t('petition.pdf.names'))
  if (doc.signers.length === 0) write(t('petition.pdf.noNames'), 11)
  for (const s of doc.signers.slice(0, PDF_NAMES)) {
    write(s.name, 11, { continued: true })
    write(` · ${s.countryName}`, 11)
    if (s.comment) {
      pdf.fillColor('#5c5c57')
      write(s.comment, 10, { indent: 12 })
      pdf.fillColor('#1d1d1b')
    }
    pdf.moveDown(0.2)
  }
  if (doc.signers.length > PDF_NAMES) write(t('petition.pdf.more', { count: n(doc.signers.length - PDF_NAMES) }), 11)
  const unnamed = doc.count - doc.signers.length
  if (unnamed > 0) {
    pdf.moveDown(0.5)
    write(t('petition.pdf.privateNote', { count: n(unnamed) }), 10)
  }
  pdf.end()
  return done
}
