/*
 * Just enough of a PDF reader for the print tests (no PDF library is installed): Chromium (Skia)
 * writes the page objects and the outline as plain, uncompressed objects, so they are read as text.
 */

/** The PDF's objects by number, as latin1 text. */
function objects(pdf: Buffer): Map<number, string> {
  const text = pdf.toString('latin1')
  const found = new Map<number, string>()
  for (const m of text.matchAll(/(\d+) 0 obj\s([\s\S]*?)endobj/g))
    found.set(Number(m[1]), m[2] ?? '')
  // Skia writes no object streams today; should it start to, fail loudly rather than count 0 pages.
  if ([...found.values()].some(body => /\/Type\s*\/ObjStm/.test(body)))
    throw new Error('pdf.ts: this PDF packs objects in object streams; teach objects() to inflate them (node:zlib)')
  return found
}

/** How many pages the PDF has: its /Type /Page objects (not /Pages, the tree above them). */
export function pdfPageCount(pdf: Buffer): number {
  return [...objects(pdf).values()].filter(body => /\/Type\s*\/Page(?![a-z])/i.test(body)).length
}

/** Each page's orientation, from its /MediaBox (in object order, which is page order for Skia's PDFs). */
export function pdfPageOrientations(pdf: Buffer): ('portrait' | 'landscape')[] {
  return [...objects(pdf).values()].filter(body => /\/Type\s*\/Page(?![a-z])/i.test(body)).map((body) => {
    const box = /\/MediaBox\s*\[\s*([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)/.exec(body)
    if (!box)
      throw new Error('pdf.ts: a page without its own /MediaBox')
    return Number(box[3]) - Number(box[1]) > Number(box[4]) - Number(box[2]) ? 'landscape' : 'portrait'
  })
}

/** A PDF text string, (literal) or <hex>, in UTF-16BE with a BOM or PDFDocEncoding. */
function pdfString(raw: string): string {
  let bytes: number[]
  if (raw.startsWith('<')) {
    const hex = raw.slice(1, -1).replace(/\s/g, '')
    bytes = hex.match(/../g)?.map(h => Number.parseInt(h, 16)) ?? []
  }
  else {
    const body = raw.slice(1, -1).replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) => {
      const map: Record<string, string> = { 'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f', '(': '(', ')': ')', '\\': '\\' }
      return map[e] ?? String.fromCharCode(Number.parseInt(e, 8))
    })
    bytes = [...body].map(c => c.charCodeAt(0))
  }
  if (bytes[0] === 0xFE && bytes[1] === 0xFF)
    return Buffer.from(bytes.slice(2)).swap16().toString('utf16le')
  return String.fromCharCode(...bytes)
}

/** The outline (bookmarks Chromium makes from headings with `outline: true`): each title and its 1-based page. */
export function pdfOutline(pdf: Buffer): { title: string, page: number }[] {
  const all = objects(pdf)
  const pageNumbers = new Map<number, number>()
  // Pages in document order: walk the page tree from its root's /Kids.
  const root = [...all.entries()].find(([, body]) => /\/Type\s*\/Pages/.test(body) && !/\/Parent/.test(body))
  const walk = (num: number) => {
    const body = all.get(num) ?? ''
    if (/\/Type\s*\/Pages/.test(body)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(body)?.[1] ?? ''
      for (const kid of kids.matchAll(/(\d+) 0 R/g))
        walk(Number(kid[1]))
    }
    else {
      pageNumbers.set(num, pageNumbers.size + 1)
    }
  }
  if (root)
    walk(root[0])
  const out: { title: string, page: number }[] = []
  for (const body of all.values()) {
    const title = /\/Title\s*(<[\da-f\s]*>|\((?:\\.|[^\\)])*\))/i.exec(body)?.[1]
    const dest = /\/Dest\s*\[\s*(\d+) 0 R/.exec(body)?.[1]
    if (title && dest)
      out.push({ title: pdfString(title), page: pageNumbers.get(Number(dest)) ?? 0 })
  }
  return out
}
