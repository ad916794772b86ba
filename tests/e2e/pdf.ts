import { inflateSync } from 'node:zlib'

/*
 * Just enough of a PDF reader for the print tests (no PDF library is installed): Chromium writes
 * page objects and the outline in plain, uncompressed objects; object streams, if any, are
 * inflated with node:zlib and searched the same way.
 */

/** The PDF's objects by number, as latin1 text (object streams unpacked). */
function objects(pdf: Buffer): Map<number, string> {
  const text = pdf.toString('latin1')
  const found = new Map<number, string>()
  const re = /(\d+) 0 obj\b([\s\S]*?)endobj/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [, num, body = ''] = m
    found.set(Number(num), body)
    // An object stream (/Type /ObjStm) holds further objects, compressed.
    if (/\/Type\s*\/ObjStm/.test(body)) {
      const n = Number(/\/N (\d+)/.exec(body)?.[1] ?? 0)
      const first = Number(/\/First (\d+)/.exec(body)?.[1] ?? 0)
      const start = m.index + m[0].indexOf('stream') + 'stream'.length
      const raw = pdf.subarray(start + (text[start] === '\r' ? 2 : 1), m.index + m[0].lastIndexOf('endstream'))
      let inner: string
      try {
        inner = inflateSync(raw).toString('latin1')
      }
      catch {
        continue
      }
      const header = inner.slice(0, first).trim().split(/\s+/).map(Number)
      for (let i = 0; i < n; i++) {
        const from = first + header[2 * i + 1]!
        const to = i + 1 < n ? first + header[2 * i + 3]! : inner.length
        found.set(header[2 * i]!, inner.slice(from, to))
      }
    }
  }
  return found
}

/** How many pages the PDF has: its /Type /Page objects (not /Pages, the tree above them). */
export function pdfPageCount(pdf: Buffer): number {
  return [...objects(pdf).values()].filter(body => /\/Type\s*\/Page(?![a-z])/i.test(body)).length
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
