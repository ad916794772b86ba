import type { BranchDetail, BranchOverview, BranchSetupLink, CategoryAverages, GroupOverview, Overview, UpperMe } from '#shared/schemas/upper'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Db } from '../db/database'
import type { UnitRows, UpperActor } from './repository'
import { SETUP_TOKEN_HOURS } from '#shared/constants'
import { rhythmSummary } from '#shared/meetings/rhythm'
import { CATEGORIES } from '#shared/points/categories'
import { localDate } from '#shared/points/periods'
import { writeAudit } from '../audit/writer'
import { linkOrigin } from '../auth/origin'
import { insertSetupToken } from '../auth/repository'
import { setupUrl } from '../auth/setup'
import { failure, notFound, unauthorized } from '../errors'
import { branchRhythm } from '../meetings/rhythm-service'
import { insertBranch } from '../org/repository'
import { addMs, HOUR, nowIso } from '../util/clock'
import { hashToken, newId, newToken } from '../util/ids'
import { adminCounts, branchesOf, branchFigures, branchNameTaken, branchOf, findUpperActor, groupFigures } from './repository'

type Key = string | null

export async function loadUpperMe(db: Db, adminId: string): Promise<UpperMe> {
  const a = await findUpperActor(db, adminId)
  if (!a)
    throw unauthorized()
  return { kind: 'upper', id: a.id, name: a.name, login: a.login, upperOrgId: a.upperOrgId, upperOrgName: a.upperOrgName }
}
const round1 = (n: number) => Math.round(n * 10) / 10

/** Per-member averages of one unit: the sums divided by its active members (0 with none). */
function unitFigures(rows: UnitRows, key: Key): Omit<GroupOverview, 'id' | 'name'> {
  const members = rows.members.find(r => r.key === key)?.n ?? 0
  const points = Object.fromEntries(CATEGORIES.map((c) => {
    const sum = rows.points.find(r => r.key === key && r.category === c)?.sum ?? 0
    return [c, members ? round1(sum / members) : 0]
  })) as CategoryAverages
  const pledge = rows.pledges.find(r => r.key === key)
  return {
    members,
    points,
    pointsTotal: round1(CATEGORIES.reduce((s, c) => s + points[c], 0)),
    pledges: { made: pledge?.made ?? 0, kept: pledge?.kept ?? 0, overdue: pledge?.overdue ?? 0 },
    reviewsHeld: rows.reviews.find(r => r.key === key)?.n ?? 0,
  }
}

const thisYear = () => Number(localDate(new Date()).slice(0, 4))

/**
 * `withRhythm`: 三会一课 执行 through the branch admin's own report (its rules live once, in shared).
 * That report reads a year of the branch's attendance (3 000 rows for 200 members) and costs about
 * 10 ms of CPU per branch here (it was 250 ms before localDate kept its formatter), so the
 * all-branches overview still leaves it out (50 branches: 0.5 s of CPU alone; p50 9.6 s before)
 * and a branch's own page carries it.
 */
async function overviewRows(db: Db, branches: { id: string, name: string }[], year: number, withRhythm: boolean): Promise<BranchOverview[]> {
  const ids = branches.map(b => b.id)
  const [rows, admins, rhythms] = await Promise.all([
    branchFigures(db, ids, year, localDate(new Date())),
    adminCounts(db, ids),
    withRhythm ? Promise.all(branches.map(async b => rhythmSummary(await branchRhythm(db, b.id, year)))) : [],
  ])
  return branches.map((b, i) => ({
    id: b.id,
    name: b.name,
    setUp: (admins.get(b.id) ?? 0) > 0,
    groups: rows.groups.find(r => r.key === b.id)?.n ?? 0,
    ...unitFigures(rows, b.id),
    appraisalHeld: rows.appraisals.some(a => a.key === b.id),
    rhythm: rhythms[i] ?? null,
  }))
}

/** The upper organization's branches side by side. */
export async function overview(db: Db, actor: UpperActor, year = thisYear()): Promise<Overview> {
  const branches = await branchesOf(db, actor.upperOrgId)
  return { upperOrgName: actor.upperOrgName, year, branches: await overviewRows(db, branches, year, false) }
}

/** One of its branches and that branch's groups; another organization's branch is 404. */
export async function branchDetail(db: Db, actor: UpperActor, branchId: string, year = thisYear()): Promise<BranchDetail> {
  const branch = await branchOf(db, actor.upperOrgId, branchId)
  if (!branch)
    throw notFound('branch')
  const [[summary], rows] = await Promise.all([overviewRows(db, [branch], year, true), groupFigures(db, branchId, year, localDate(new Date()))])
  const collator = new Intl.Collator('zh-CN')
  const groups: GroupOverview[] = [...rows.names].sort((a, b) => collator.compare(a.name, b.name)).map(g => ({ id: g.id, name: g.name, ...unitFigures(rows, g.id) }))
  // Members in no group (often the branch committee) are a row of their own, so the groups add up to the branch.
  const ungrouped = unitFigures(rows, null)
  if (ungrouped.members > 0 || ungrouped.pledges.made > 0)
    groups.push({ id: null, name: null, ...ungrouped })
  return { branch: summary!, year, groups }
}

/** A fresh one-time link with which the branch's first admin sets it up, as a fresh install does. */
async function issueBranchLink(app: FastifyInstance, request: FastifyRequest, branch: { id: string, name: string }): Promise<BranchSetupLink> {
  // The origin is checked before anything is written: a forged Host gets no link and leaves no token.
  const origin = linkOrigin(app, request)
  const token = newToken()
  const expiresAt = addMs(SETUP_TOKEN_HOURS * HOUR)
  await insertSetupToken(app.db, { token_hash: hashToken(token), branch_id: branch.id, created_at: nowIso(), expires_at: expiresAt, used_at: null })
  return { branchId: branch.id, branchName: branch.name, setupUrl: setupUrl(origin, token), expiresAt, publicUrlSet: Boolean(app.config.publicUrl) }
}

export async function createBranch(app: FastifyInstance, request: FastifyRequest, actor: UpperActor, name: string): Promise<BranchSetupLink> {
  linkOrigin(app, request)
  const id = newId()
  const clean = name.trim()
  await app.db.transaction().execute(async (trx) => {
    if (await branchNameTaken(trx, actor.upperOrgId, clean))
      throw failure(409, 'BRANCH_NAME_TAKEN')
    await insertBranch(trx, { id, name: clean, upper_org_id: actor.upperOrgId, settings: '{}', created_at: nowIso() })
    // The branch's own log starts with who made it (the upper admin's id; they are no member of it).
    await writeAudit(trx, { id: actor.id, branchId: id }, { action: 'upper.branch.create', entity: 'branch', entityId: id, data: { name: clean, upperOrgId: actor.upperOrgId } })
  })
  return issueBranchLink(app, request, { id, name: clean })
}

/** A new link for a branch not yet set up (the first was lost or expired); 409 once it has an admin. */
export async function newBranchLink(app: FastifyInstance, request: FastifyRequest, actor: UpperActor, branchId: string): Promise<BranchSetupLink> {
  const branch = await branchOf(app.db, actor.upperOrgId, branchId)
  if (!branch)
    throw notFound('branch')
  if (((await adminCounts(app.db, [branch.id])).get(branch.id) ?? 0) > 0)
    throw failure(409, 'BRANCH_ALREADY_SET_UP')
  return issueBranchLink(app, request, branch)
}
