import type { Insertable, Transaction } from 'kysely'
import type { Database, Db } from '../db/database'
import type { AuditLogTable } from '../db/org.table'

/** The only statement that adds to the audit log: audit/writer.ts is its one caller. */
export async function insertAuditRow(trx: Transaction<Database>, row: Insertable<AuditLogTable>): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute()
}

export async function countAudit(db: Db, branchId: string): Promise<number> {
  const { total } = await db.selectFrom('audit_log')
    .select(eb => eb.fn.countAll<number>().as('total'))
    .where('branch_id', '=', branchId)
    .executeTakeFirstOrThrow()
  return Number(total)
}

/** One page of the branch's log, newest first, with the actor's current name (null once they are gone). */
export async function auditPage(db: Db, branchId: string, page: number, pageSize: number) {
  return db.selectFrom('audit_log')
    .leftJoin('member', 'member.id', 'audit_log.actor_id')
    .select(['audit_log.id', 'audit_log.actor_id', 'member.name as actor_name', 'audit_log.action', 'audit_log.entity', 'audit_log.entity_id', 'audit_log.data', 'audit_log.created_at'])
    .where('audit_log.branch_id', '=', branchId)
    .orderBy('audit_log.created_at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute()
}
