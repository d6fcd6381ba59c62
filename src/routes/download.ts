/** Content-Disposition for a file name we generated (slug-based, so plain ASCII after this). */
export function attachment(filename: string) {
  return `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`
}
