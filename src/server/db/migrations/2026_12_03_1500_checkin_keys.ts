import type { Kysely } from 'kysely'
import { generateKeyPairSync } from 'node:crypto'

/*
 * Issue 15: check-in codes signed with Ed25519 so phones verify them offline.
 * - meeting.sign_key / verify_key: the meeting's key pair (`<d>.<x>` and `x`, base64url); existing
 *   meetings get one here, so their 签到 screens show the new codes at once (scans queued with the
 *   old HMAC codes are still checked by the server with the server secret).
 * - meeting.checkout: 签退 asked for at the end (optional per meeting).
 * - meeting_attendance.departed_at / checkout_window: when the member checked out, and the window
 *   of the code that proved it.
 * - member_checkin_key: each member's own key pair for the personal code (出示我的签到码), made
 *   when the member's phone first asks for it.
 * Written out here (not imported from the app) so this migration never changes with the code.
 */
function keyPair() {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  return { sign_key: `${jwk.d}.${jwk.x}`, verify_key: jwk.x! }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting').addColumn('sign_key', 'text').execute()
  await db.schema.alterTable('meeting').addColumn('verify_key', 'text').execute()
  await db.schema.alterTable('meeting').addColumn('checkout', 'integer', c => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('meeting_attendance').addColumn('departed_at', 'text').execute()
  await db.schema.alterTable('meeting_attendance').addColumn('checkout_window', 'bigint').execute()
  await db.schema.createTable('member_checkin_key')
    .addColumn('member_id', 'text', c => c.primaryKey().references('member.id'))
    .addColumn('sign_key', 'text', c => c.notNull())
    .addColumn('verify_key', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .execute()
  const meetings = await db.selectFrom('meeting').select('id').execute()
  for (const m of meetings)
    await db.updateTable('meeting').set(keyPair()).where('id', '=', m.id).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_checkin_key').execute()
  await db.schema.alterTable('meeting_attendance').dropColumn('checkout_window').execute()
  await db.schema.alterTable('meeting_attendance').dropColumn('departed_at').execute()
  await db.schema.alterTable('meeting').dropColumn('checkout').execute()
  await db.schema.alterTable('meeting').dropColumn('verify_key').execute()
  await db.schema.alterTable('meeting').dropColumn('sign_key').execute()
}
