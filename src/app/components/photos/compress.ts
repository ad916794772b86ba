import { PHOTO } from '#shared/photos/constants'

/** A photo ready to queue: compressed on the phone, with a preview URL for the form. */
export interface PickedPhoto {
  id: string
  mime: string
  bytes: ArrayBuffer
  url: string
}

/** Why a picked file cannot be used; the form shows the matching message. */
export class PhotoError extends Error {
  constructor(readonly reason: 'unreadable' | 'tooLarge') {
    super(reason)
  }
}

/** The size to draw at: the long edge at most PHOTO.maxEdge, never enlarged. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number, height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

function encode(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob(b => b ? resolve(b) : reject(new PhotoError('unreadable')), 'image/jpeg', quality))
}

/**
 * Re-encodes any picked image as a JPEG of about PHOTO.targetBytes: a 4000 px camera photo of
 * 5 MB becomes ≈300 KB, so a week of offline photos fits on an old phone and uploads on a weak
 * signal. Orientation from EXIF is applied and every other EXIF field (GPS) is dropped.
 */
export async function compressPhoto(file: Blob): Promise<PickedPhoto> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  }
  catch {
    throw new PhotoError('unreadable')
  }
  let edge: number = PHOTO.maxEdge
  let blob: Blob | null = null
  try {
    for (let round = 0; round < 4 && !blob; round++) {
      const size = fitWithin(bitmap.width, bitmap.height, edge)
      const canvas = document.createElement('canvas')
      canvas.width = size.width
      canvas.height = size.height
      const ctx = canvas.getContext('2d')
      if (!ctx)
        throw new PhotoError('unreadable')
      // JPEG has no transparency: a white ground instead of black behind a transparent PNG.
      ctx.fillStyle = '#fff'
      ctx.fillRect(0, 0, size.width, size.height)
      ctx.drawImage(bitmap, 0, 0, size.width, size.height)
      for (const quality of [0.82, 0.7, 0.55]) {
        const candidate = await encode(canvas, quality)
        if (candidate.size <= PHOTO.targetBytes) {
          blob = candidate
          break
        }
        if (round === 3 && quality === 0.55 && candidate.size <= PHOTO.maxBytes)
          blob = candidate
      }
      edge = Math.round(edge * 0.75)
    }
  }
  finally {
    bitmap.close()
  }
  if (!blob)
    throw new PhotoError('tooLarge')
  return { id: crypto.randomUUID(), mime: 'image/jpeg', bytes: await blob.arrayBuffer(), url: URL.createObjectURL(blob) }
}
