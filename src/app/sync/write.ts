import type { OpDefinition } from '#shared/sync/protocol'
import type { Static, TSchema } from 'typebox'
import type { OutboxOp } from '../db'
import { hasForbiddenCharacters } from '#shared/schemas/common'
import Value from 'typebox/value'
import { localWrite } from '../db'
import { i18n } from '../i18n'

/**
 * The payload does not match its op's schema, caught before anything is queued: a bug in the
 * form, or text with characters no field accepts (pasted control characters), which the member
 * is told in their language.
 */
export class LocalValidationError extends Error {}

function texts(value: unknown): string[] {
  if (typeof value === 'string')
    return [value]
  return value && typeof value === 'object' ? Object.values(value).flatMap(texts) : []
}

export interface WriteRecord { entity: string, id: string, data: unknown }

/** A compressed photo the payload names in photoIds: stored with the op, uploaded before it is pushed. */
export interface QueuedPhoto { id: string, mime: string, bytes: ArrayBuffer }

/**
 * What a write needs from the app around it, handed over by the sync store when it is created
 * (stores call sync/, never the other way round): whose outbox, and what to do once an op is queued.
 */
export interface WriteHooks {
  /** The logged-in member, or null: nothing is queued without one. */
  memberId: () => string | null
  /** An op was queued: count it and schedule a sync. */
  afterWrite: () => void
}

let hooks: WriteHooks | null = null

/** Called by the sync store (stores/sync.ts); the latest call wins. */
export function bindWriteHooks(value: WriteHooks): void {
  hooks = value
}

/**
 * How every feature writes: validate against the op's shared schema, then write the local record
 * (待同步) and the op in one IndexedDB transaction, then ask for a sync. Works offline; the op
 * stays on the phone until the server has answered for it.
 */
export async function queueWrite<S extends TSchema>(definition: OpDefinition<S>, payload: Static<S>, record?: WriteRecord, options: { replacesRejected?: string, photos?: QueuedPhoto[] } = {}): Promise<OutboxOp> {
  const bound = hooks
  const memberId = bound?.memberId()
  if (!bound || !memberId)
    throw new Error('not logged in')
  if (!Value.Check(definition.payload, payload))
    throw new LocalValidationError(texts(payload).some(s => hasForbiddenCharacters(s, true)) ? i18n.global.t('form.badCharacters') : `invalid ${definition.type} payload`)
  const photos = options.photos?.map(p => ({ id: p.id, mime: p.mime, bytes: p.bytes }))
  const op = await localWrite({ memberId, type: definition.type, payload, record, replacesRejected: options.replacesRejected, photos })
  bound.afterWrite()
  return op
}
