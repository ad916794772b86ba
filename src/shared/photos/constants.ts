import { Type } from 'typebox'
import { Id } from '../schemas/common'

/** Evidence photos: the same limits on the phone (before queueing) and on the server (on upload). */
export const PHOTO = {
  /** The server refuses anything larger; the phone aims far below it. */
  maxBytes: 1_048_576,
  /** What the phone compresses to: ≈300 KB keeps a week of offline photos small and uploads quick on a weak signal. */
  targetBytes: 300_000,
  /** Long edge after compression: enough to read a certificate, small enough for an old phone's memory. */
  maxEdge: 1600,
  /** Per record (an entry, a progress record, a meeting's minutes). */
  perRecord: 6,
  /**
   * What the server decodes: an edge under 16 px is no evidence (an icon, a tracking pixel); the
   * pixel limit keeps decoding bounded (12 Mpx ≈ 0.35 s and 36 MB while decoding) and still takes
   * an uncompressed 12-megapixel phone photo; 8000 px lets a panorama through.
   */
  minEdgePx: 16,
  maxEdgePx: 8000,
  maxPixels: 12_000_000,
  mimes: ['image/jpeg', 'image/png', 'image/webp'],
} as const

/**
 * What one member may have stored, checked on upload. Loose photos (uploaded, not yet on a
 * record: the phone uploads a whole push batch's photos before pushing it) are limited to 20
 * full records' worth — more than a month offline — so junk cannot pile up unattached. A rolling
 * year allows 200 records with 6 photos each at ~330 KB, far above any real member's evidence.
 */
export const PHOTO_QUOTA = {
  looseCount: 120,
  looseBytes: 60 * 1_048_576,
  yearCount: 1200,
  yearBytes: 400 * 1_048_576,
} as const

export type PhotoMime = (typeof PHOTO.mimes)[number]

/** The optional photo list of an op payload: ids the phone made, uploaded before the op is pushed. */
export const PhotoIds = Type.Array(Id, { maxItems: PHOTO.perRecord, uniqueItems: true })

/** Why an op's photos were refused, for good (server apply), or why an upload was (the phone files it the same way). */
export const PHOTO_REJECT = {
  missing: 'PHOTO_MISSING',
  notYours: 'PHOTO_NOT_YOURS',
  inUse: 'PHOTO_IN_USE',
  type: 'PHOTO_TYPE',
  tooLarge: 'PHOTO_TOO_LARGE',
  idTaken: 'PHOTO_ID_TAKEN',
  /** The bytes start like an image but do not decode as one (or decode as another type). */
  invalid: 'PHOTO_INVALID',
  /** Decodes, but smaller or larger than PHOTO's pixel bounds. */
  dimensions: 'PHOTO_DIMENSIONS',
  /** The member's PHOTO_QUOTA is reached. */
  quota: 'PHOTO_QUOTA',
} as const

/** Where a photo is attached, as stored on the photo row: decides who may see it. */
export const PHOTO_OWNER = {
  entry: 'point_entry',
  progress: 'pledge_progress',
  minutes: 'meeting',
} as const
