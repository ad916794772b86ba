import type { OpDefinition } from '#shared/sync/protocol'
import type { Static, TSchema } from 'typebox'
import type { OutboxOp } from '../db'
import { hasForbiddenCharacters } from '#shared/schemas/common'
import Value from 'typebox/value'
import { localWrite } from '../db'
import { i18n } from '../i18n'
import { useSessionStore } from '../stores/session'
import { useSyncStore } from '../stores/sync'

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
 * How every feature writes: validate against the op's shared schema, then write the local record
 * (待同步) and the op in one IndexedDB transaction, then ask for a sync. Works offline; the op
 * stays on the phone until the server has answered for it.
 */
export async function queueWrite<S extends TSchema>(definition: OpDefinition<S>, payload: Static<S>, record?: WriteRecord, options: { replacesRejected?: string, photos?: QueuedPhoto[] } = {}): Promise<OutboxOp> {
  const me = useSessionStore().me
  if (!me)
    throw new Error('not logged in')
  if (!Value.Check(definition.payload, payload))
    throw new LocalValidationError(texts(payload).some(s => hasForbiddenCharacters(s, true)) ? i18n.global.t('form.badCharacters') : `invalid ${definition.type} payload`)
  const photos = options.photos?.map(p => ({ id: p.id, mime: p.mime, bytes: p.bytes }))
  const op = await localWrite({ memberId: me.id, type: definition.type, payload, record, replacesRejected: options.replacesRejected, photos })
  useSyncStore().afterWrite()
  return op
}
