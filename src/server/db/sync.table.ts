/** Every op the server answered, recorded in the same transaction as its effect. */
export interface SyncOpTable {
  op_id: string
  device_id: string
  seq: number
  member_id: string
  type: string
  /** sha256 of the canonical payload: the same op id with another payload is rejected. */
  payload_hash: string
  status: 'applied' | 'rejected'
  /** JSON of the answer given, replayed as `duplicate`. */
  result: string
  received_at: string
}

export interface ChangeLogTable {
  seq: number
  entity: string
  entity_id: string
  branch_id: string
  /** Set when only this member (and organizers over them) may pull the change. */
  member_id: string | null
  /** Set when only this group's members, the branch admins (and member_id, if set) may pull it. */
  group_id: string | null
  op: 'upsert' | 'delete'
  data: string
  created_at: string
}

/** One row, bumped inside every write transaction so change seqs follow commit order. */
export interface SyncCounterTable {
  id: number
  seq: number
}

/** Server-wide values every instance must share, such as the derived-key secret. */
export interface ServerStateTable {
  key: string
  value: string
}
