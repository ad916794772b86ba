import type { PhotoMime } from '#shared/photos/constants'

/**
 * The image type by its first bytes. The Content-Type header is whatever the sender says; only
 * these signatures decide what is stored and the type it is served back with.
 */
export function sniffImage(bytes: Uint8Array): PhotoMime | null {
  const at = (offset: number, sig: number[]) => sig.every((b, i) => bytes[offset + i] === b)
  if (bytes.length >= 3 && at(0, [0xFF, 0xD8, 0xFF]))
    return 'image/jpeg'
  if (bytes.length >= 8 && at(0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    return 'image/png'
  // RIFF <size> WEBP
  if (bytes.length >= 12 && at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50]))
    return 'image/webp'
  return null
}
