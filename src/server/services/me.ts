import type { Me } from '#shared/schemas/auth'
import type { Db } from '../db/database'
import { notFound } from '../errors'

export async function loadMe(db: Db, memberId: string): Promise<Me> {
  const row = await db.selectFrom('member')
    .innerJoin('branch', 'branch.id', 'member.branch_id')
    .leftJoin('party_group', 'party_group.id', 'member.group_id')
    .select([
      'member.id',
      'member.name',
      'member.login',
      'member.role',
      'member.titles',
      'member.branch_id',
      'member.group_id',
      'branch.name as branch_name',
      'party_group.name as group_name',
    ])
    .where('member.id', '=', memberId)
    .executeTakeFirst()
  if (!row)
    throw notFound('成员 Member')
  return {
    id: row.id,
    name: row.name,
    login: row.login,
    role: row.role,
    titles: JSON.parse(row.titles) as string[],
    branchId: row.branch_id,
    branchName: row.branch_name,
    groupId: row.group_id,
    groupName: row.group_name ?? null,
  }
}
