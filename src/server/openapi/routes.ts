/**
 * What the API description says about each route that the route's own schema cannot: its feature
 * (the OpenAPI tag), a summary in Chinese and English, and, where who may call it is finer than a
 * role, a description. Who may call it at all comes from the route's preHandler (plugins/auth.ts),
 * what it takes and answers from its schema. One place rather than a line in each route file, so
 * routes can move between files without their words; tests/server/openapi.test.ts fails on a
 * registered route missing here and on an entry for a route that no longer exists.
 */

export interface RouteDoc {
  /** Chinese first, then English: "新建党小组 Create a group". */
  summary: string
  /** Markdown, shown in /api/docs under the summary. */
  description?: string
  /** The request body is raw bytes of one of these types, not JSON. */
  rawBody?: readonly string[]
  /** A 200 answer is a file of one of these types, not JSON. */
  fileAnswer?: readonly string[]
}

export interface TagDoc {
  /** ASCII, as code generators and deep links use it. */
  name: string
  /** The heading people read: Chinese, then English. */
  title: string
  description: string
  /** "METHOD /api/path" as Fastify registers it (params as :name). */
  routes: Record<string, RouteDoc>
}

const XLSX = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] as const
const IMAGES = ['image/jpeg', 'image/png', 'image/webp'] as const

export const API_TAGS: readonly TagDoc[] = [
  {
    name: 'system',
    title: '系统 System',
    description: 'Whether the server and its database answer, and this description itself.',
    routes: {
      'GET /api/health': { summary: '服务状态 Health check', description: '200 `{status:\'ok\', database}`; 503 while the database is unreachable (building and serving need no database).' },
      'GET /api/openapi.json': { summary: '本接口说明 This OpenAPI document', description: 'Generated from the route schemas (once, then kept); `/api/docs` shows it.' },
    },
  },
  {
    name: 'setup',
    title: '首次设置 First setup',
    description: 'Creating the branch and its first admin with the link the server prints at start (`npm run setup-link` prints a new one).',
    routes: {
      'GET /api/setup': { summary: '是否需要首次设置 Whether setup is still needed' },
      'POST /api/setup': { summary: '创建支部与首位管理员 Create the branch and its first admin', description: 'Needs the printed setup token in the body; logs the new admin in. 409 once an admin exists, 410 for a used or expired link.' },
    },
  },
  {
    name: 'auth',
    title: '登录与账号 Sign-in and accounts',
    description: 'Sessions are an HttpOnly `xf_session` cookie set by login, setup and invite accept. Invite links (`<origin>/invite#<token>`) set a member\'s password, also after a lost one.',
    routes: {
      'POST /api/auth/login': { summary: '登录 Log in', description: 'Generic 401 for a wrong login or password. Failures back off per login name and address (five free, then 15 s doubling to 15 min) and at most 50 per address in 15 min: 429 with `Retry-After`.' },
      'POST /api/auth/logout': { summary: '退出登录 Log out', description: 'Revokes this session; answers 200 without one too.' },
      'GET /api/auth/me': { summary: '当前登录的党员 The member logged in' },
      'POST /api/auth/password': { summary: '修改密码 Change my password', description: 'Needs the current password; the member\'s other sessions are revoked.' },
      'GET /api/invites/{token}': { summary: '查看邀请链接 Look at an invite link', description: 'The token is the credential. 404 unknown, 410 used, expired or the member deactivated.' },
      'POST /api/invites/{token}/accept': { summary: '接受邀请并设置密码 Accept an invite and set a password', description: 'Logs the member in and revokes their other sessions.' },
    },
  },
  {
    name: 'sync',
    title: '同步 Sync',
    description: 'The phone\'s one write path (push: ops from its outbox, each applied once) and one read path (pull: the change log since a cursor). Op types are listed once in `src/shared/sync/op-types.ts`.',
    routes: {
      'POST /api/sync/push': { summary: '上传离线操作 Push queued ops', description: 'Each op is validated and applied on its own: a malformed or refused op is answered `rejected` with a code and a bilingual message while the rest of the batch goes on; an op id seen before is answered `duplicate` with its first answer. 400 for a wrong `protocol`, 413 past the batch limit. Who may push an op is checked by its handler (role and scope) and refused as `OP_FORBIDDEN` or `OP_NOT_YOURS`.' },
      'GET /api/sync/pull': { summary: '拉取变更 Pull changes', description: 'Pages of the change log the member may see, after the opaque `since` cursor. Groups are branch-wide; a member\'s own record (name, role, group after an admin\'s edit) goes to that member only. `reset: true` means the cursor is too old or from another database: drop pulled records (keep queued ones) and start over.' },
    },
  },
  {
    name: 'photos',
    title: '照片 Photos',
    description: 'Evidence photos: uploaded under an id the phone made before the op that attaches them is pushed; kept in the database.',
    routes: {
      'PUT /api/photos/{id}': { summary: '上传照片 Upload a photo', description: 'The raw image as the body; its bytes decide the type, not the header. 201 new, 200 the same bytes again, 409 other bytes under that id, 413 past the size limit, and a per-member quota.', rawBody: IMAGES },
      'GET /api/photos/{id}': { summary: '查看照片 Get a photo', description: 'Its uploader, and whoever may see the record it is attached to.', fileAnswer: IMAGES },
    },
  },
  {
    name: 'groups',
    title: '党小组 Groups',
    description: 'Every member of the branch sees the groups; only a branch admin changes them. A removed group is kept (past records name it) and answers 404 afterwards.',
    routes: {
      'GET /api/groups': { summary: '党小组列表 List the groups', description: 'With active member counts, in creation order; removed groups are left out.' },
      'POST /api/groups': { summary: '新建党小组 Create a group', description: '409 `GROUP_NAME_TAKEN`.' },
      'PATCH /api/groups/{id}': { summary: '重命名党小组 Rename a group', description: '409 `GROUP_NAME_TAKEN`.' },
      'DELETE /api/groups/{id}': { summary: '撤销党小组 Remove a group', description: '409 `GROUP_NOT_EMPTY` while it has active members: move them first.' },
    },
  },
  {
    name: 'members',
    title: '党员 Members',
    description: 'A branch admin manages the whole branch; a group leader may look at their own group only. Roles are `member`, `group_leader`, `branch_admin`; titles (组长、办公室主任…) are labels only.',
    routes: {
      'GET /api/members': { summary: '党员名单 List members', description: 'A branch admin: the whole branch (`?groupId=&active=`); a group leader: their own group, whatever the query.' },
      'GET /api/members/{id}': { summary: '查看党员 Get a member', description: 'A group leader: members of their own group only (403 otherwise).' },
      'POST /api/members': { summary: '添加党员 Add a member', description: 'No password yet: send an invite. 409 `LOGIN_TAKEN` (logins are unique server-wide, case-insensitive), 400 `LEADER_NEEDS_GROUP`.' },
      'PATCH /api/members/{id}': { summary: '修改、调组、停用或恢复党员 Edit, move, deactivate or reactivate a member', description: 'Moving is `{groupId}`; `{active:false}` revokes every session and pending invite (nothing is deleted). 409 `LAST_ADMIN` when it would leave the branch with no active branch admin.' },
      'POST /api/members/{id}/invite': { summary: '生成邀请链接 Issue an invite link', description: 'A one-time link `<origin>/invite#<token>`, valid 7 days; it voids the member\'s earlier unused links. Also the lost-password path. 409 `MEMBER_INACTIVE`.' },
    },
  },
  {
    name: 'audit',
    title: '操作日志 Audit log',
    description: 'Every change writes an audit row in the same transaction as the change.',
    routes: {
      'GET /api/audit': { summary: '操作日志 Audit log', description: 'The admin\'s own branch, newest first, paged. Actions include `setup`, `group.create` / `group.rename` / `group.remove`, `member.create` / `member.update` / `member.move` / `member.deactivate` / `member.reactivate` (`data` = changed fields as `{field: {from, to}}`), `member.invite` (never the token), `demo.seed`, and the meeting, points and pledge actions.' },
    },
  },
  {
    name: 'points',
    title: '积分 Points',
    description: 'A member\'s score and history, settings, 一票否决 (vetoes), the points audit trail and the 党员平时积分记录表. A member sees their own; an organizer also those they organize (group leader: own group; branch admin: the branch). A member logs an entry with the `entry.create` op.',
    routes: {
      'GET /api/points/summary': { summary: '积分汇总 Score summary', description: '`?memberId=` (default: me) `&year=` (default: this year).' },
      'GET /api/points/entries': { summary: '积分记录 Points history', description: 'Paged with the opaque `after` cursor.' },
      'GET /api/points/entries/{id}': { summary: '积分记录详情 An entry with its events' },
      'POST /api/points/entries/{id}/revoke': { summary: '撤销积分记录 Revoke an entry', description: 'With a reason; the score follows.' },
      'GET /api/points/settings': { summary: '积分设置 Points settings' },
      'PUT /api/points/settings': { summary: '修改积分设置 Change points settings' },
      'PUT /api/points/base/{year}': { summary: '设置年度基础分 Set a year\'s base score' },
      'POST /api/points/vetoes': { summary: '一票否决 Record a veto' },
      'POST /api/points/vetoes/{id}/revoke': { summary: '撤销一票否决 Revoke a veto' },
      'GET /api/points/audit': { summary: '积分审计 Points audit trail' },
      'GET /api/points/sheet': { summary: '党员平时积分记录表 Points sheet', description: 'Of a member, a group or the branch, for a month, quarter or year, within what the caller may see.' },
      'GET /api/points/sheet.xlsx': { summary: '导出积分记录表 Points sheet as Excel', fileAnswer: XLSX },
    },
  },
  {
    name: 'points-rules',
    title: '积分项目 Points rules',
    description: 'Every member reads the rules (to log against them); a branch admin adds, edits (a new version) and retires them.',
    routes: {
      'GET /api/points/rules': { summary: '积分项目列表 List the rules' },
      'POST /api/points/rules': { summary: '新增积分项目 Add a rule' },
      'PUT /api/points/rules/{id}': { summary: '修改积分项目 Edit a rule', description: 'A new version; entries keep the version they were logged under.' },
      'POST /api/points/rules/{id}/retire': { summary: '停用积分项目 Retire a rule' },
    },
  },
  {
    name: 'points-approvals',
    title: '积分审核 Points approval',
    description: 'Organizers see what waits for them, approve (many at once) or return with a reason, and record grants and deductions. A group leader acts on their own group, a branch admin on the branch.',
    routes: {
      'GET /api/points/approvals': { summary: '待审核积分 Entries waiting for approval' },
      'POST /api/points/approvals/approve': { summary: '批量通过 Approve entries', description: 'Each id on its own: one refusal (not yours, already decided) does not undo the others; the answer says which.' },
      'POST /api/points/approvals/{id}/return': { summary: '退回积分记录 Return an entry', description: 'With a reason the member sees; they may resubmit.' },
      'POST /api/points/approvals/adjustments': { summary: '加分或扣分 Grant or deduct points' },
    },
  },
  {
    name: 'meetings',
    title: '会议 Meetings',
    description: '三会一课 and 组织生活会 with their attendance and minutes. Organizers act here online, on meetings they organize; a member\'s check-in and leave request are ops (`checkin.create`, `meeting.leave`).',
    routes: {
      'GET /api/meetings': { summary: '会议列表 List meetings', description: '`?view=upcoming` (default) or `all`: the ones the caller attends or organizes.' },
      'POST /api/meetings': { summary: '安排会议 Schedule a meeting' },
      'GET /api/meetings/{id}': { summary: '查看会议 Get a meeting' },
      'PATCH /api/meetings/{id}': { summary: '修改会议 Edit a meeting', description: 'While it is scheduled.' },
      'POST /api/meetings/{id}/cancel': { summary: '取消会议 Cancel a meeting' },
      'GET /api/meetings/{id}/screen': { summary: '签到屏 Check-in screen', description: 'The meeting\'s key for the rotating QR code: only its organizers receive it.' },
      'GET /api/meetings/{id}/attendance': { summary: '出勤情况 Attendance' },
      'POST /api/meetings/{id}/attendance/{memberId}': { summary: '处理出勤（批假、补签等） Decide a member\'s attendance (leave, late check-in…)' },
      'POST /api/meetings/{id}/close': { summary: '结束会议 Close a meeting', description: 'Once: who is expected and neither checked in nor was excused is absent, and attendance points follow. 409 while late check-ins wait for a decision.' },
      'PUT /api/meetings/{id}/minutes': { summary: '会议记录 Write the minutes', description: 'Text and photos; whoever may open the meeting may read them.' },
    },
  },
  {
    name: 'pledges',
    title: '承诺践诺 Pledges',
    description: '公开承诺 → 践诺 → 评诺. Drafting and review are online calls; progress (践诺) comes only through sync as the `pledge.progress` op.',
    routes: {
      'GET /api/pledges': { summary: '承诺列表 List pledges', description: 'Filters: year, member, group, owner kind, status; `mine` for only the caller\'s own even as an organizer.' },
      'GET /api/pledges/archive': { summary: '承诺践诺档案 Pledge archive', description: 'Pledges with progress logs, feedback and evaluation; same filters as the list.' },
      'GET /api/pledges/archive.xlsx': { summary: '导出档案 Archive as Excel', fileAnswer: XLSX },
      'GET /api/pledges/board-link': { summary: '公示页链接 The public board link' },
      'GET /api/pledges/feedback': { summary: '待审留言 Feedback to moderate' },
      'POST /api/pledges/feedback/{id}/moderate': { summary: '审核留言 Moderate feedback', description: '409 `FEEDBACK_MODERATED` when already decided.' },
      'GET /api/pledges/{id}': { summary: '查看承诺 Get a pledge' },
      'POST /api/pledges': { summary: '起草承诺 Draft a pledge' },
      'PATCH /api/pledges/{id}': { summary: '修改承诺 Edit a pledge', description: 'By whoever wrote it or the member it is for, while a draft or returned (409 `PLEDGE_LOCKED` after).' },
      'POST /api/pledges/{id}/submit': { summary: '提交审核 Submit for review' },
      'POST /api/pledges/{id}/approve': { summary: '通过承诺 Approve a pledge' },
      'POST /api/pledges/{id}/return': { summary: '退回承诺 Return a pledge', description: 'With a reason the author sees.' },
      'POST /api/pledges/{id}/publish': { summary: '公示承诺 Publish a pledge' },
      'POST /api/pledges/{id}/evaluate': { summary: '评诺 Evaluate a pledge' },
    },
  },
  {
    name: 'board',
    title: '承诺公示 Public board',
    description: 'The branch\'s public pledge board, no login: its unguessable slug is the link. Feedback shows after moderation.',
    routes: {
      'GET /api/board/{slug}': { summary: '承诺公示页 The public board' },
      'POST /api/board/{slug}/feedback': { summary: '群众留言 Leave feedback', description: 'Rate-limited per address (429 with `Retry-After`); still needs the CSRF header, which the board page sends.' },
      'POST /api/board/{slug}/honours-feedback': { summary: '表彰公示留言 Feedback on a nominee in 公示', description: 'Same limits as pledge feedback; shown to the 支委会 beside the nominee, and on the board once approved.' },
    },
  },
  {
    name: 'commendations',
    title: '评选表彰 Commendation rounds',
    description: '七一 / 十一 / 年终 rounds: titles and quotas, the shortlist from the year\'s record, 公示 on the board, the 支委会\'s decision. Nominating and deciding are the `commendation.nominate` and `commendation.decide` ops of the sync push.',
    routes: {
      'GET /api/commendations/rounds': { summary: '评选列表 The branch\'s rounds', description: 'Organizers.' },
      'POST /api/commendations/rounds': { summary: '新建评选 Create a round', description: 'Branch admins. Titles default to the campaign\'s four; a quota larger than the eligible members or groups is refused (400).' },
      'GET /api/commendations/rounds/{id}': { summary: '评选详情 A round with its titles and nominees', description: 'Organizers see each nominee\'s 公示 feedback (all statuses); members see nominees once published.' },
      'PATCH /api/commendations/rounds/{id}': { summary: '修改评选 Edit a round', description: 'Titles only in draft; weights, level, days and name until 公示.' },
      'POST /api/commendations/rounds/{id}/step': { summary: '开始推荐 / 开始公示 Open nominating or start 公示', description: 'draft → nominating → publicity (needs a nominee).' },
      'GET /api/commendations/rounds/{id}/shortlist': { summary: '推荐参考名单 The shortlist', description: 'Per title, scored by the round\'s weights (#shared/commendations/shortlist); vetoed and departed members listed apart with the reason.' },
      'POST /api/commendations/feedback/{id}/moderate': { summary: '审核公示留言 Moderate 公示 feedback', description: 'Branch admins; once only (409 after).' },
      'GET /api/commendations/mine': { summary: '我的表彰 My commendations this year' },
    },
  },
]
