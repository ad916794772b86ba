import type { Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import { createHash } from 'node:crypto'
import { PHOTO, PHOTO_OWNER, PHOTO_QUOTA, PHOTO_REJECT } from '#shared/photos/constants'
import { failure, notFound, refusal } from '../errors'
import { canSee } from '../meetings/repository'
import { readableBy } from '../pledges/views'
import { isOrganizerOver, loadMember } from '../points/access'
import { opRejection } from '../sync/registry'
import { nowIso } from '../util/clock'
import { checkDecodes } from './decode'
import { sniffImage } from './magic'

type Conn = Db | Transaction<Database>

/** How long a photo on no record is kept (see pruneLoosePhotos). */
export const LOOSE_PHOTO_KEEP_MS = 90 * 24 * 3600_000

export const PHOTO_NOT_FOUND = () => notFound('photo')

export const photoTooLarge = () => failure(413, PHOTO_REJECT.tooLarge, { mb: Math.round(PHOTO.maxBytes / 1024 / 1024) })

const MB = 1_048_576
const YEAR_MS = 365 * 24 * 3600_000

/**
 * Refuses an upload that would take the member past PHOTO_QUOTA. Two uploads racing may both
 * pass: the quota is a bound on abuse, not an exact count, so it may be overshot by a few.
 */
async function checkQuota(db: Db, memberId: string, size: number, now = Date.now()): Promise<void> {
  const yearAgo = new Date(now - YEAR_MS).toISOString()
  const row = await db.selectFrom('photo')
    .select(eb => [
      eb.fn.sum<number | string>(eb.case().when('owner_id', 'is', null).then(1).else(0).end()).as('loose_count'),
      eb.fn.sum<number | string>(eb.case().when('owner_id', 'is', null).then(eb.ref('size')).else(0).end()).as('loose_bytes'),
      eb.fn.sum<number | string>(eb.case().when('created_at', '>=', yearAgo).then(1).else(0).end()).as('year_count'),
      eb.fn.sum<number | string>(eb.case().when('created_at', '>=', yearAgo).then(eb.ref('size')).else(0).end()).as('year_bytes'),
    ])
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow()
  const n = (v: number | string | null) => Number(v ?? 0)
  if (n(row.loose_count) + 1 > PHOTO_QUOTA.looseCount || n(row.loose_bytes) + size > PHOTO_QUOTA.looseBytes) {
    throw failure(409, PHOTO_REJECT.quota, { count: PHOTO_QUOTA.looseCount, mb: PHOTO_QUOTA.looseBytes / MB })
  }
  if (n(row.year_count) + 1 > PHOTO_QUOTA.yearCount || n(row.year_bytes) + size > PHOTO_QUOTA.yearBytes) {
    throw refusal(409, PHOTO_REJECT.quota, 'PHOTO_YEAR_QUOTA', { count: PHOTO_QUOTA.yearCount, mb: PHOTO_QUOTA.yearBytes / MB })
  }
}

/** The answer to an id already stored: the same upload again (its reply was lost), or a 409. */
function sameUpload(existing: { member_id: string, sha256: string }, actor: Actor, sha256: string): void {
  if (existing.member_id !== actor.id || existing.sha256 !== sha256)
    throw failure(409, PHOTO_REJECT.idTaken)
}

/**
 * Stores an uploaded photo. Idempotent by the phone's id: the same bytes again answer as before
 * (a retried upload whose reply was lost, even with the quota since reached); other bytes, or
 * another member, under a taken id are 409. A new photo must fit the member's quota and decode
 * fully as the image type its signature names; nothing is stored otherwise.
 */
export async function savePhoto(db: Db, actor: Actor, id: string, bytes: Buffer): Promise<{ created: boolean, photo: { id: string, mime: string, size: number, sha256: string } }> {
  if (bytes.length > PHOTO.maxBytes)
    throw photoTooLarge()
  const mime = sniffImage(bytes)
  if (!mime)
    throw failure(415, PHOTO_REJECT.type)
  const sha256 = createHash('sha256').update(bytes).digest('base64url')
  const photo = { id, mime, size: bytes.length, sha256 }
  const stored = await db.selectFrom('photo').select(['member_id', 'sha256']).where('id', '=', id).executeTakeFirst()
  if (stored) {
    sameUpload(stored, actor, sha256)
    return { created: false, photo }
  }
  await checkQuota(db, actor.id, bytes.length)
  await checkDecodes(bytes, mime)
  const inserted = await db.insertInto('photo').values({
    ...photo,
    branch_id: actor.branchId,
    member_id: actor.id,
    bytes,
    owner_entity: null,
    owner_id: null,
    created_at: nowIso(),
  }).onConflict(oc => oc.column('id').doNothing()).returning('id').executeTakeFirst()
  if (inserted)
    return { created: true, photo }
  // The same id was stored by a request racing this one.
  sameUpload(await db.selectFrom('photo').select(['member_id', 'sha256']).where('id', '=', id).executeTakeFirstOrThrow(), actor, sha256)
  return { created: false, photo }
}

/** Whether the actor may see a photo: its uploader, and whoever may read the record it is attached to. */
async function mayView(db: Conn, actor: Actor, photo: { branch_id: string, member_id: string, owner_entity: string | null, owner_id: string | null }): Promise<boolean> {
  if (photo.branch_id !== actor.branchId)
    return false
  if (photo.member_id === actor.id)
    return true
  const ownerId = photo.owner_id ?? ''
  if (photo.owner_entity === PHOTO_OWNER.entry) {
    const entry = await db.selectFrom('point_entry').select('member_id').where('id', '=', ownerId).executeTakeFirst()
    const member = entry && await loadMember(db, entry.member_id)
    return !!member && (member.id === actor.id || isOrganizerOver(actor, member))
  }
  if (photo.owner_entity === PHOTO_OWNER.progress) {
    const found = await db.selectFrom('pledge_progress as pp')
      .innerJoin('pledge', 'pledge.id', 'pp.pledge_id')
      .select('pp.id')
      .where('pp.id', '=', ownerId)
      .where(readableBy(actor))
      .executeTakeFirst()
    return !!found
  }
  if (photo.owner_entity === PHOTO_OWNER.minutes) {
    const meeting = await db.selectFrom('meeting').select(['branch_id', 'group_id', 'created_by']).where('id', '=', ownerId).executeTakeFirst()
    return !!meeting && canSee(actor, meeting)
  }
  return false
}

/** The photo's bytes for the actor, or 404 whether it does not exist or is not theirs to see (nothing is revealed). */
export async function loadVisiblePhoto(db: Db, actor: Actor, id: string): Promise<{ mime: string, bytes: Buffer }> {
  const photo = await db.selectFrom('photo').select(['branch_id', 'member_id', 'owner_entity', 'owner_id', 'mime', 'bytes']).where('id', '=', id).executeTakeFirst()
  if (!photo || !await mayView(db, actor, photo))
    throw PHOTO_NOT_FOUND()
  return { mime: photo.mime, bytes: Buffer.from(photo.bytes) }
}

/**
 * Inside an op's (or route's) transaction: sets the record's photos to `photoIds`. Each must have
 * been uploaded by this member and be free — or be on this very record already, whoever added it
 * (a second organizer re-saving the minutes). Photos taken off the record stop being shown with it;
 * their uploader keeps them until they are pruned. A refusal rejects the op (同步失败 with the
 * reason), nothing attached.
 */
export async function attachPhotos(trx: Transaction<Database>, actor: Actor, photoIds: readonly string[] | undefined, owner: { entity: string, id: string }): Promise<string[]> {
  const ids = [...(photoIds ?? [])]
  const rows = ids.length ? await trx.selectFrom('photo').select(['id', 'branch_id', 'member_id', 'owner_entity', 'owner_id']).where('id', 'in', ids).execute() : []
  for (const id of ids) {
    const row = rows.find(r => r.id === id)
    if (!row || row.branch_id !== actor.branchId)
      throw opRejection(PHOTO_REJECT.missing)
    if (row.owner_entity === owner.entity && row.owner_id === owner.id)
      continue
    if (row.member_id !== actor.id)
      throw opRejection(PHOTO_REJECT.notYours)
    if (row.owner_entity !== null)
      throw opRejection(PHOTO_REJECT.inUse)
  }
  let dropped = trx.updateTable('photo').set({ owner_entity: null, owner_id: null }).where('owner_entity', '=', owner.entity).where('owner_id', '=', owner.id)
  if (ids.length)
    dropped = dropped.where('id', 'not in', ids)
  await dropped.execute()
  if (ids.length)
    await trx.updateTable('photo').set({ owner_entity: owner.entity, owner_id: owner.id }).where('id', 'in', ids).execute()
  return ids
}

/**
 * Deletes photos on no record that are older than `olderThanMs`: uploads whose op was discarded
 * and photos taken off a record. The wait is long because a phone may hold a 同步失败 op that
 * names an uploaded photo for weeks before its member fixes and resends it.
 */
export async function pruneLoosePhotos(db: Db, olderThanMs = LOOSE_PHOTO_KEEP_MS, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - olderThanMs).toISOString()
  const result = await db.deleteFrom('photo').where('owner_id', 'is', null).where('created_at', '<', cutoff).executeTakeFirst()
  return Number(result.numDeletedRows)
}
