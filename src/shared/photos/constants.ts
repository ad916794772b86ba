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
  mimes: ['image/jpeg', 'image/png', 'image/webp'],
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
} as const

/** Where a photo is attached, as stored on the photo row: decides who may see it. */
export const PHOTO_OWNER = {
  entry: 'point_entry',
  progress: 'pledge_progress',
  minutes: 'meeting',
} as const
