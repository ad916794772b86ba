import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'

/** An op waiting in the outbox: made on the phone, kept until the server has answered for it. */
export interface OutboxOp {
  /** Per-device sequence: the outbox's key and the order ops are pushed in. */
  seq: number
  opId: string
  /** Whose op this is: another member logging in on the same phone never pushes it. */
  memberId: string
  type: string
  payload: unknown
  clientTime: string
  /** The local record this op wrote, so its 待同步 mark clears when the server answers. */
  record?: RecordKey
  /** Times it was sent without an answer (server down, reply lost); informative only — ops never expire. */
  attempts: number
}

/** An op the server refused for good, with its reason: the member retries, edits or discards it. */
export interface RejectedOp extends OutboxOp {
  code: string
  message: string
  /** With a code of the shared error catalog: the app words the reason from these. */
  params?: Record<string, string | number>
  rejectedAt: string
}

export type RecordKey = [entity: string, id: string]

/** The member's own copy of a record, written locally (pending) or pulled from the server. */
export interface LocalRecord<T = unknown> {
  entity: string
  id: string
  /** The member whose device view this belongs to. */
  owner: string
  data: T
  /** Outbox ops still waiting for this record: > 0 shows 待同步. */
  pendingOps: number
  /** An op for it was rejected: shows 同步失败 until retried or discarded. */
  failed: boolean
  /** The last version the server confirmed, restored when a rejected change is discarded. */
  server?: T
  updatedAt: string
}

export interface MetaRow { key: string, value: unknown }

/**
 * An evidence photo taken on this phone, already compressed. Written in the same transaction as
 * the op that attaches it; uploaded before that op is pushed; deleted once no queued or rejected
 * op needs it. Bytes as an ArrayBuffer: Blobs in IndexedDB were unreliable in older mobile Safari.
 */
export interface LocalPhoto {
  id: string
  memberId: string
  mime: string
  bytes: ArrayBuffer
  /** The server has it (201/200): never sent again. */
  uploaded: boolean
  createdAt: string
}

/** A member an organizer may act on, as the organizer's pickers show them: no phone or login kept. */
export interface RosterMember {
  id: string
  name: string
  groupId: string | null
  groupName: string | null
}

/**
 * The members in an organizer's scope, saved when last fetched: 记分/扣分 picks from it with no
 * signal. One row per organizer (another organizer on the same phone has their own).
 */
export interface Roster {
  owner: string
  members: RosterMember[]
  savedAt: string
}

/**
 * An entry waiting in an organizer's 待审核 queue, as the server last listed it: the queue is
 * usable with no signal. Replaced whole by each refresh; one removed at once when decided here.
 */
export interface QueuedApproval {
  /** The organizer whose queue this is (another member on the same phone has their own). */
  owner: string
  id: string
  entry: unknown
  /** Its place in the server's list (oldest date first). */
  order: number
}

/**
 * An organizer's review queue (待审核 and 已审核未公示 pledges) as last fetched, so they can read
 * and decide it offline. One row per organizer on this phone; their decisions are local records.
 */
export interface PledgeQueueRow {
  owner: string
  /** Pledge objects as the server sent them (#shared/pledges/schemas Pledge). */
  pledges: unknown[]
  fetchedAt: string
}

/**
 * The random secret this phone files a member's 民主评议 ballot under (issue 13): made here once per
 * appraisal and never shown. The server keeps only its hash, so the same phone can change the
 * ballot and nobody can tell whose ballot it is. Lost with the phone: the ballot then stands as cast.
 */
export interface BallotSecret {
  owner: string
  appraisalId: string
  secret: string
  /**
   * The grades last saved on this phone, so the member sees and changes their own ballot (the
   * server answers an accepted ballot with `voted` only). Kept on the voter's phone, never sent
   * anywhere but in the ballot op itself.
   */
  grades?: Record<string, string>
  savedAt?: string
  createdAt: string
}

export interface XfSchema extends DBSchema {
  outbox: { key: number, value: OutboxOp, indexes: { opId: string } }
  rejected: { key: string, value: RejectedOp }
  meta: { key: string, value: MetaRow }
  records: { key: RecordKey, value: LocalRecord, indexes: { owner: string } }
  photos: { key: string, value: LocalPhoto }
  rosters: { key: string, value: Roster }
  approvals: { key: [owner: string, id: string], value: QueuedApproval, indexes: { owner: string } }
  pledgeQueue: { key: string, value: PledgeQueueRow }
  ballotSecrets: { key: [owner: string, appraisalId: string], value: BallotSecret }
}

export type XfDb = IDBPDatabase<XfSchema>
type UpgradeTx = IDBPTransaction<XfSchema, StoreNames<XfSchema>[], 'versionchange'>

export const DB_NAME = 'xianfeng'

/**
 * The schema's history: step i takes the database from version i to i + 1. Never edit a shipped
 * step — add one. Each step must keep every op (a phone may upgrade with thousands queued).
 */
export const UPGRADES: ((db: XfDb, tx: UpgradeTx) => void)[] = [
  // v1: the outbox and sync metadata.
  (db) => {
    db.createObjectStore('outbox', { keyPath: 'seq' })
    db.createObjectStore('meta', { keyPath: 'key' })
  },
  // v2: rejected ops, the member's local records, and op ids findable in the outbox.
  (db, tx) => {
    db.createObjectStore('rejected', { keyPath: 'opId' })
    const records = db.createObjectStore('records', { keyPath: ['entity', 'id'] })
    records.createIndex('owner', 'owner')
    tx.objectStore('outbox').createIndex('opId', 'opId', { unique: true })
  },
  // v3: evidence photos waiting to be uploaded (points entries, 践诺 records).
  (db) => {
    db.createObjectStore('photos', { keyPath: 'id' })
  },
  // v4: the organizer's members, so 记分/扣分 works offline.
  (db) => {
    db.createObjectStore('rosters', { keyPath: 'owner' })
  },
  // v5: the organizer's 待审核 queue, kept for deciding with no signal.
  (db) => {
    db.createObjectStore('approvals', { keyPath: ['owner', 'id'] }).createIndex('owner', 'owner')
  },
  // v6: an organizer's pledge review queue, kept for deciding offline.
  (db) => {
    db.createObjectStore('pledgeQueue', { keyPath: 'owner' })
  },
  // v7: the 民主评议 ballot secrets, one per member and appraisal.
  (db) => {
    db.createObjectStore('ballotSecrets', { keyPath: ['owner', 'appraisalId'] })
  },
]

export const DB_VERSION = UPGRADES.length
