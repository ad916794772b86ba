import { Type } from 'typebox'
import { Phone } from '../schemas/common'
import { defineOp } from './protocol'

/**
 * The op types of the foundation. Each feature adds its own definitions next to its schemas
 * (e.g. entry.create), lists them in ./op-types.ts and gives app.ts a server handler for each;
 * none adds a new sync path.
 */

/** A member edits their own contact phone (shown to their organizers); null clears it. */
export const profileUpdate = defineOp('profile.update', Type.Object({
  phone: Type.Union([Phone, Type.Null()]),
}, { additionalProperties: false }))

/** Entities the foundation's ops write, as they appear in pulled changes and in the phone's records. */
export const ENTITY = {
  profile: 'profile',
} as const
