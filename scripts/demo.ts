import type { Config } from '../src/server/config'
import { localOrigin } from '../src/server/auth/origin'
import { ConfigError, loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'
import { DEMO_BRANCH, DEMO_LOGINS, DEMO_PASSWORD, DEMO_SECOND_BRANCH, DEMO_UPPER_ORG, DemoRefused, seedDemo } from '../src/server/org/demo'

/** `npm run demo`: fills an EMPTY database (DATABASE_URL, as the server) with a sample branch, then says how to log in. */
let config: Config
try {
  config = loadConfig()
}
catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error — ${err.message}` : err)
  process.exit(1)
}
const { db } = openDatabase(config.databaseUrl)
try {
  await migrateToLatest(db)
  const { members, boardSlug } = await seedDemo(db, { secret: config.secret })
  const url = localOrigin(config, config.port)
  console.log(`
  已创建示例数据 Demo data created: 「${DEMO_BRANCH}」, 3 groups, ${members} members and a year of work
  (积分 in every status, closed meetings with check-ins, 公开承诺 with 践诺 and public feedback).

  Start the server with:  ${process.env.DATABASE_URL ? `DATABASE_URL=${config.databaseUrl} ` : ''}npm start
  Then open:              ${url}/login
  公开承诺栏 (public board, no login): ${url}/board/${boardSlug}

    党员 (member)            login ${DEMO_LOGINS.member}   password ${DEMO_PASSWORD}
      1. 我的积分: this year's total, an entry 退回 to fix and send again, one still 待审核
      2. 记积分: log an activity (even offline: it waits on the phone as 待同步)
      3. 承诺: your published pledge, its 践诺 records, and the public's message on the board
      4. 我的 → 讲评: your group's first-half 讲评, closed — your own averages and comments

    党小组长 (group leader)  login ${DEMO_LOGINS.leader}   password ${DEMO_PASSWORD}
      1. 审核: two entries of your group wait for you — 通过 or 退回
      2. 会议: next week's 党小组会 — open its 签到 screen (the rotating QR code)
      3. 加分/扣分 for a member of your group, and the group's 记录表 to print

    支部管理员 (branch admin) login ${DEMO_LOGINS.admin}     password ${DEMO_PASSWORD}
      1. 审核: entries that also need the branch, after their group leader passed them
      2. 承诺审核: a pledge waiting for review; a visitor's message waiting to go on the board
      3. 组织管理: meetings of the year with attendance (签到, 请假, 缺席), exports and 记录表

    上级党组织管理员 (upper-organization admin, 「${DEMO_UPPER_ORG}」) login ${DEMO_LOGINS.upper}   password ${DEMO_PASSWORD}
      1. 各支部概况: 「${DEMO_BRANCH}」 and the smaller 「${DEMO_SECOND_BRANCH}」 side by side — members,
         五带头 points per member, pledges, 讲评 and 民主评议; tap a branch for its 党小组 (read-only)
      2. 新建支部: a third branch and its one-time setup link for that branch's first admin

    第二支部管理员 (the second branch's admin) login ${DEMO_LOGINS.secondAdmin}   password ${DEMO_PASSWORD}

  Every sample account (demo.member1–8, demo.leader1–3, demo.admin, demo2.*, demo.upper) uses the same password.
  The demo branch is for trying the app out; use a fresh database for real use.
`)
}
catch (err) {
  process.exitCode = 1
  if (err instanceof DemoRefused)
    console.error(`npm run demo: ${err.message}.\n  DATABASE_URL=${config.databaseUrl}\n  Point DATABASE_URL at a new database (e.g. DATABASE_URL=sqlite:./data/demo.db npm run demo) or remove the existing one.`)
  else
    console.error('npm run demo failed:', err instanceof Error ? err.message : err)
}
finally {
  await db.destroy()
}
