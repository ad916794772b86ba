import { writeFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

/*
 * `npx tsx scripts/make-icons.ts`: draws the app icons from one SVG in headless Chromium (Debian's,
 * no browser download) and writes the PNGs, the favicon and the SVG sources into public/. The text
 * needs fonts-noto-cjk (apt) on the machine that regenerates them; the committed files need nothing.
 */
const RED = '#b71c1c'
const GOLD = '#ffd54f'

/** A red field, a golden star and 先 in white. `inset` shrinks the mark into a maskable icon's safe circle. */
function svg({ inset = 1, rounded = true }: { inset?: number, rounded?: boolean } = {}): string {
  const star = (cx: number, cy: number, r: number) => Array.from({ length: 10 }, (_, i) => {
    const radius = i % 2 === 0 ? r : r * 0.382
    const angle = -Math.PI / 2 + (i * Math.PI) / 5
    return `${(cx + radius * Math.cos(angle)).toFixed(2)},${(cy + radius * Math.sin(angle)).toFixed(2)}`
  }).join(' ')
  const k = inset
  const c = 256
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <rect width="512" height="512" rx="${rounded ? 96 : 0}" fill="${RED}"/>
  <g transform="translate(${c} ${c}) scale(${k}) translate(${-c} ${-c})">
    <polygon points="${star(256, 100, 56)}" fill="${GOLD}"/>
    <text x="256" y="436" text-anchor="middle" font-family="'Noto Serif CJK SC', 'Noto Sans CJK SC', serif" font-weight="700" font-size="290" fill="#ffffff">先</text>
  </g>
</svg>
`
}

async function render(page: import('playwright-core').Page, source: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size })
  await page.setContent(`<html><body style="margin:0;background:transparent">${source.replace('width="512" height="512"', `width="${size}" height="${size}"`)}</body></html>`)
  await page.evaluate(() => document.fonts.ready)
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
}

/** An .ico holding PNG images (Windows Vista+ and every browser read these). */
function ico(images: { size: number, png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, at)
    header.writeUInt8(size >= 256 ? 0 : size, at + 1)
    header.writeUInt16LE(1, at + 4)
    header.writeUInt16LE(32, at + 6)
    header.writeUInt32LE(png.length, at + 8)
    header.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map(i => i.png)])
}

const icon = svg()
const maskable = svg({ inset: 0.78, rounded: false })
const full = svg({ rounded: false })
writeFileSync('public/icons/icon.svg', icon)
writeFileSync('public/icons/maskable.svg', maskable)

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 })
  writeFileSync('public/icons/icon-192.png', await render(page, icon, 192))
  writeFileSync('public/icons/icon-512.png', await render(page, icon, 512))
  writeFileSync('public/icons/maskable-512.png', await render(page, maskable, 512))
  // iOS rounds the corners itself and shows transparency as black: a full square.
  writeFileSync('public/icons/apple-touch-icon.png', await render(page, full, 180))
  writeFileSync('public/favicon.ico', ico([
    { size: 16, png: await render(page, icon, 16) },
    { size: 32, png: await render(page, icon, 32) },
    { size: 48, png: await render(page, icon, 48) },
  ]))
  console.log('Wrote public/icons/{icon.svg,maskable.svg,icon-192.png,icon-512.png,maskable-512.png,apple-touch-icon.png} and public/favicon.ico')
}
finally {
  await browser.close()
}
