/** One evidence photo: uploaded on its own before the op that attaches it, then attached by that op. */
export interface PhotoTable {
  /** Made on the phone, so an upload retried after a lost reply is stored once. */
  id: string
  branch_id: string
  /** The uploader: only they may attach it. */
  member_id: string
  mime: string
  size: number
  /** Kept in the database, not on disk: the server stays stateless and one backup holds everything. */
  bytes: Buffer
  /** base64url sha256 of the bytes: the same id sent again with other bytes is a conflict. */
  sha256: string
  /** What it is attached to (PHOTO_OWNER) and that record's id; null until an op attaches it. */
  owner_entity: string | null
  owner_id: string | null
  created_at: string
}
