import type { Db } from '../db/database'
import type { Actor } from '../plugins/auth'
import type { DemoContext, DemoStep } from './demo/context'
import { ORG_ENTITY } from '#shared/schemas/org'
import { writeAudit } from '../audit/writer'
import { hashPassword, PASSWORD_PARAMS } from '../auth/password'
import { MeetingSecret } from '../meetings/keys'
import { boardSlug } from '../pledges/board'
import { seedDefaultRules } from '../points/rules'
import { recordChange } from '../sync/changes'
import { nowIso } from '../util/clock'
import { newId } from '../util/ids'
import { seedMeetings } from './demo/meetings'
import { seedPledges } from './demo/pledges'
import { seedPoints } from './demo/points'
import { seedReviews } from './demo/reviews'
import { seedSecondBranch } from './demo/second'
import { insertUpperAdmin, insertUpperOrg } from '../upper/repository'
import { insertBranch, insertGroup, insertMember, isOrgEmpty } from './repository'

export const DEMO_PASSWORD = 'xianfeng-demo'
export const DEMO_BRANCH = '示例党支部'
export const DEMO_LOGINS = { admin: 'demo.admin', leader: 'demo.leader1', member: 'demo.member1', upper: 'demo.upper', secondAdmin: 'demo2.admin' } as const
export const DEMO_UPPER_ORG = '示例·机关工委'
export const DEMO_SECOND_BRANCH = '示例·第二党支部'

export class DemoRefused extends Error {}

interface DemoPerson { name: string, login: string, role: 'member' | 'group_leader' | 'branch_admin', titles: string[], group: number | null }

/** Plainly sample names (示例·…) so nobody mistakes demo data for a real branch. */
const GROUPS = ['示例·第一党小组', '示例·第二党小组', '示例·第三党小组']
const PEOPLE: DemoPerson[] = [
  { name: '示例·赵书记', login: DEMO_LOGINS.admin, role: 'branch_admin', titles: ['支部书记', '领导小组组长'], group: null },
  { name: '示例·张一', login: DEMO_LOGINS.leader, role: 'group_leader', titles: ['党小组长'], group: 0 },
  { name: '示例·张二', login: DEMO_LOGINS.member, role: 'member', titles: [], group: 0 },
  { name: '示例·张三', login: 'demo.member2', role: 'member', titles: ['办公室主任'], group: 0 },
  { name: '示例·张四', login: 'demo.member3', role: 'member', titles: [], group: 0 },
  { name: '示例·李一', login: 'demo.leader2', role: 'group_leader', titles: ['党小组长'], group: 1 },
  { name: '示例·李二', login: 'demo.member4', role: 'member', titles: ['副组长'], group: 1 },
  { name: '示例·李三', login: 'demo.member5', role: 'member', titles: [], group: 1 },
  { name: '示例·王一', login: 'demo.leader3', role: 'group_leader', titles: ['党小组长'], group: 2 },
  { name: '示例·王二', login: 'demo.member6', role: 'member', titles: [], group: 2 },
  { name: '示例·王三', login: 'demo.member7', role: 'member', titles: [], group: 2 },
  { name: '示例·王四', login: 'demo.member8', role: 'member', titles: [], group: 2 },
]

/** The second, smaller branch under the same upper organization: three groups of a leader and one or two members, with a year of points only. */
const SECOND_BRANCH = {
  name: DEMO_SECOND_BRANCH,
  groups: ['示例·二支部第一党小组', '示例·二支部第二党小组', '示例·二支部第三党小组'],
  people: [
    { name: '示例·钱书记', login: DEMO_LOGINS.secondAdmin, role: 'branch_admin', titles: ['支部书记'], group: null },
    { name: '示例·钱一', login: 'demo2.leader1', role: 'group_leader', titles: ['党小组长'], group: 0 },
    { name: '示例·钱二', login: 'demo2.member1', role: 'member', titles: [], group: 0 },
    { name: '示例·钱三', login: 'demo2.member2', role: 'member', titles: [], group: 0 },
    { name: '示例·孙一', login: 'demo2.leader2', role: 'group_leader', titles: ['党小组长'], group: 1 },
    { name: '示例·孙二', login: 'demo2.member3', role: 'member', titles: [], group: 1 },
    { name: '示例·周一', login: 'demo2.leader3', role: 'group_leader', titles: ['党小组长'], group: 2 },
    { name: '示例·周二', login: 'demo2.member4', role: 'member', titles: [], group: 2 },
    { name: '示例·周三', login: 'demo2.member5', role: 'member', titles: [], group: 2 },
  ] satisfies DemoPerson[],
}

/**
 * The living year, one step per feature, run in this order after the branch and its people exist.
 * Meetings come before pledges so the 评诺 points land after the attendance points of the year; a
 * new feature (讲评, 民主评议, 表彰) appends its step here.
 */
export const DEMO_STEPS: { name: string, run: DemoStep }[] = [
  { name: 'points', run: seedPoints },
  { name: 'meetings', run: seedMeetings },
  { name: 'pledges', run: seedPledges },
  { name: 'reviews', run: seedReviews },
]

export interface DemoOptions {
  /** Password hashing cost (tests pass a cheap one). */
  params?: typeof PASSWORD_PARAMS
  /** XF_SECRET when set, as the server derives meeting keys from it. */
  secret?: string | null
}

/**
 * Fills an empty database with a sample branch: 3 groups, 12 members (one branch admin, a leader
 * per group), every account with the demo password, the default point rules, the change-log
 * rows phones pull — and then a year of work through the app's own services and op handlers
 * (DEMO_STEPS). Refuses (DemoRefused) when anything is already there.
 */
export async function seedDemo(db: Db, options: DemoOptions = {}): Promise<{ branchId: string, members: number, boardSlug: string, secondBranchId: string }> {
  const params = options.params ?? PASSWORD_PARAMS
  if (!(await isOrgEmpty(db)))
    throw new DemoRefused('数据库不是空的，示例数据只能写入空数据库 The database is not empty; the demo only fills an empty database')
  // One scrypt hash shared by the sample accounts: 12 hashes at N=2^17 would take a while, and these are not real people.
  const passwordHash = await hashPassword(DEMO_PASSWORD, params)
  const upperOrgId = newId()
  await db.transaction().execute(async (trx) => {
    if (!(await isOrgEmpty(trx)))
      throw new DemoRefused('数据库不是空的 The database is not empty')
    const now = nowIso()
    // 上级党组织 over both sample branches, with its admin (issue 14): log in as DEMO_LOGINS.upper.
    await insertUpperOrg(trx, { id: upperOrgId, name: DEMO_UPPER_ORG, created_at: now })
    await insertUpperAdmin(trx, { id: newId(), upper_org_id: upperOrgId, name: '示例·机关工委管理员', login: DEMO_LOGINS.upper, password_hash: passwordHash, created_at: now })
  })
  const branchId = await seedBranch(db, { name: DEMO_BRANCH, groups: GROUPS, people: PEOPLE }, upperOrgId, passwordHash, options)
  const secondBranchId = await seedBranch(db, SECOND_BRANCH, upperOrgId, passwordHash, options, [{ name: 'second', run: seedSecondBranch }])
  return { branchId, members: PEOPLE.length, boardSlug: await boardSlug(db, branchId), secondBranchId }
}

interface DemoBranch { name: string, groups: string[], people: DemoPerson[] }

/** One sample branch under the upper organization: its groups, people, rules, then its living year (DEMO_STEPS). */
async function seedBranch(db: Db, spec: DemoBranch, upperOrgId: string, passwordHash: string, options: DemoOptions, steps = DEMO_STEPS): Promise<string> {
  const branchId = newId()
  const actors: (Actor & { group: number | null })[] = []
  await db.transaction().execute(async (trx) => {
    const now = nowIso()
    await insertBranch(trx, { id: branchId, name: spec.name, upper_org_id: upperOrgId, settings: '{}', created_at: now })
    const groupIds = spec.groups.map(() => newId())
    for (const [i, name] of spec.groups.entries()) {
      // A millisecond apart: groups are listed in creation order.
      await insertGroup(trx, { id: groupIds[i]!, branch_id: branchId, name, created_at: new Date(Date.parse(now) + i).toISOString(), removed_at: null })
      await recordChange(trx, { entity: ORG_ENTITY.group, entityId: groupIds[i]!, branchId, memberId: null, op: 'upsert', data: { id: groupIds[i], name } })
    }
    for (const p of spec.people) {
      const id = newId()
      const groupId = p.group === null ? null : groupIds[p.group]!
      await insertMember(trx, { id, branch_id: branchId, group_id: groupId, name: p.name, login: p.login, phone: null, role: p.role, titles: JSON.stringify(p.titles), password_hash: passwordHash, active: 1, created_at: now, updated_at: now })
      await recordChange(trx, { entity: ORG_ENTITY.member, entityId: id, branchId, memberId: id, op: 'upsert', data: { id, name: p.name, login: p.login, role: p.role, titles: p.titles, groupId } })
      actors.push({ id, branchId, groupId, role: p.role, name: p.name, group: p.group })
    }
    const admin = actors.find(a => a.role === 'branch_admin')!
    await seedDefaultRules(trx, branchId, admin.id)
    await writeAudit(trx, { id: null, branchId }, { action: 'demo.seed', entity: 'branch', entityId: branchId, data: { groups: spec.groups.length, members: spec.people.length } })
  })
  const context: DemoContext = {
    db,
    branchId,
    admin: actors.find(a => a.role === 'branch_admin')!,
    leaders: spec.groups.map((_, g) => actors.find(a => a.group === g && a.role === 'group_leader')!),
    members: spec.groups.map((_, g) => actors.filter(a => a.group === g && a.role === 'member')),
    now: new Date(),
    secret: new MeetingSecret(options.secret ?? null),
  }
  for (const step of steps) {
    try {
      await step.run(context)
    }
    catch (err) {
      throw new Error(`demo step ${step.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
  }
  return branchId
}
