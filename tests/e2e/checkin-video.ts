import { writeFileSync } from 'node:fs'
import QRCode from 'qrcode'

/**
 * Writes a Y4M video (4:2:0) showing the QR code of `text`, for Chromium's fake camera:
 * header, then per frame "FRAME\n" + Y plane + U plane + V plane.
 */
export function qrY4m(text: string, file: string, width = 640, height = 480, frames = 5): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const scale = Math.floor((Math.min(width, height) * 0.8) / (n + 8))
  const left = Math.floor((width - n * scale) / 2)
  const top = Math.floor((height - n * scale) / 2)
  const y = Buffer.alloc(width * height, 235)
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c))
        continue
      for (let dy = 0; dy < scale; dy++)
        y.fill(16, (top + r * scale + dy) * width + left + c * scale, (top + r * scale + dy) * width + left + (c + 1) * scale)
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma])
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]))
}
