import { writeFileSync } from 'node:fs'
import QRCode from 'qrcode'

/** One frame's luma plane showing the QR code of `text`, centred, dark on light. */
function qrLuma(text: string, width: number, height: number): Buffer {
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
  return y
}

/**
 * Writes a Y4M video (4:2:0, 10 frames a second) for Chromium's fake camera, which loops it:
 * each scene shows the QR code of its text for its number of frames. Per frame: "FRAME\n" +
 * Y plane + U plane + V plane.
 */
export function qrScenesY4m(scenes: { text: string, frames: number }[], file: string, width = 640, height = 480): void {
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128)
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)]
  for (const scene of scenes) {
    const frame = Buffer.concat([Buffer.from('FRAME\n'), qrLuma(scene.text, width, height), chroma, chroma])
    for (let i = 0; i < scene.frames; i++)
      parts.push(frame)
  }
  writeFileSync(file, Buffer.concat(parts))
}

/** A Y4M video showing only the QR code of `text`. */
export function qrY4m(text: string, file: string, width = 640, height = 480, frames = 5): void {
  qrScenesY4m([{ text, frames }], file, width, height)
}
