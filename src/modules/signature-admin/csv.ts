// CSV for delivery to a petition's target, read in spreadsheets: RFC 4180 quoting, a BOM so
// Excel reads Korean and Chinese as UTF-8, and formula injection neutralised (OWASP): a cell that
// starts with = + - @ (or a tab or carriage return) is prefixed with a single quote.
const FORMULA_START = /^[=+\-@\t\r]/

export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

export function csvCell(value: string | number | null | undefined): string {
  const text = neutralise(value === null || value === undefined ? '' : String(value))
  return `"${text.replaceAll('"', '""')}"`
}

export function csvRow(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

export const BOM = '\uFEFF'
