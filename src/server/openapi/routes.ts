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
      'POST /api/setup': { summary: '创建支部与首位管理员 Create the branch and its first admin', description: 'Needs the printed setup token in the body; logs the new admin in. 409 once an admin exists, 410 for a used or expired link. A branch\'s link (made by its upper organization) sets up that branch, named again by `branchName`: 409 once that branch has an admin.' },
      'GET /api/setup/{token}': { summary: '查看设置链接 Look at a setup link', description: 'The token is the credential. `needsSetup` false once the link\'s target has an admin; `branchName` names the branch an upper organization made for the link (null for the first-start link). 404 unknown.' },
    },
  },
  {
    name: 'upper',
    title: '上级党组织 Upper organization',
    description: 'The upper organization\'s admin (上级党组织管理员, an account of its own, made with `npm run upper-admin`): a read-only view across its own branches — aggregates only, no names, photos, notes or phone numbers — and new branches with their one-time setup links. Every other write by this account is refused (403 `UPPER_READ_ONLY`), every branch route too; another organization\'s branch is 404.',
    routes: {
      'GET /api/upper/overview': { summary: '各支部概况 Branches side by side', description: '`?year=` (default this year): per branch its active members, groups, 五带头 points as per-member averages, pledge items made / kept / overdue, 讲评 held and whether 民主评议 was held. `rhythm` (三会一课 执行) is null until wired.' },
      'GET /api/upper/branches/{id}': { summary: '支部下钻到党小组 A branch by its groups', description: 'The same figures per group, members in no group as a row of their own (`id` null).' },
      'POST /api/upper/branches': { summary: '新建支部 Create a branch', description: 'Answers the branch\'s one-time setup link (valid 24 hours) for its first admin. 409 for a name the organization already has.' },
      'POST /api/upper/branches/{id}/setup-link': { summary: '重新生成设置链接 A new setup link', description: 'For a branch whose first link was lost or expired; 409 once the branch has an admin.' },
      'GET /api/upper/branches/{id}/pledges': { summary: '支部承诺 A branch\'s pledges to the organization', description: 'The branch\'s own pledges (owner `branch`, 支部向上级党组织承诺) that were approved or published, with items and their 践诺. Members\' and groups\' pledges are the branch\'s business and are not listed.' },
      'POST /api/upper/branches/{id}/pledges/{pledgeId}/evaluate': { summary: '评诺支部承诺 Evaluate a branch\'s pledge', description: 'Each item once, on a published branch pledge (409 `ITEM_EVALUATED` the second time); a member\'s or group\'s pledge is 403 `BRANCH_PLEDGE_ONLY`. The branch\'s phones learn the result through sync. A branch under an upper organization can no longer evaluate its own branch pledge (403 `BRANCH_PLEDGE_UPPER_EVALUATES`).' },
      'GET /api/upper/assessments': { summary: '支部争先评议列表 Branch assessments', description: 'The organization\'s assessments, newest period first, with how many branches are rated.' },
      'POST /api/upper/assessments': { summary: '开始支部争先评议 Open a branch assessment', description: '`{ period, title? }` — a 讲评 period (2026-Y, 2026-H1, 2026-Q3); one per organization and period (409 `ASSESSMENT_EXISTS`).' },
      'GET /api/upper/assessments/{id}': { summary: '支部争先评议 One assessment', description: 'Every branch with its figures of the period\'s year (as in the overview) beside the organization\'s rating, if given.' },
      'POST /api/upper/assessments/{id}/branches/{branchId}': { summary: '评议一个支部 Rate a branch', description: 'Five 五个好 scores (4 满意 … 1 不满意) and a comment; given again it replaces the rating (the organization has one voice per branch). 409 once closed; another organization\'s branch 404.' },
      'POST /api/upper/assessments/{id}/close': { summary: '结束支部争先评议 Close an assessment', description: 'For good; the branches then see their own rating. 409 `ASSESSMENT_ALREADY_CLOSED` names who closed it.' },
    },
  },
  {
    name: 'auth',
    title: '登录与账号 Sign-in and accounts',
    description: 'Sessions are an HttpOnly `xf_session` cookie set by login, setup and invite accept. Invite links (`<origin>/invite#<token>`) set a member\'s password, also after a lost one.',
    routes: {
      'POST /api/auth/login': { summary: '登录 Log in', description: 'Generic 401 for a wrong login or password. Failures back off per login name and address (five free, then 15 s doubling to 15 min) and at most 50 per address in 15 min: 429 with `Retry-After`.' },
      'POST /api/auth/logout': { summary: '退出登录 Log out', description: 'Revokes this session; answers 200 without one too.' },
      'GET /api/auth/me': { summary: '当前登录的党员 The member logged in', description: 'An upper-organization admin gets `{kind:\'upper\', upperOrgId, upperOrgName, …}` instead (login answers the same way).' },
      'GET /api/auth/session': { summary: '是否已登录 Who is logged in, if anyone', description: 'The app\'s check at start: 200 `{member}` with the member logged in, or `{member: null}` without a session (or with an expired or revoked one), never 401. An upper-organization admin gets `{member: null, upper: {kind:\'upper\', …}}`.' },
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
      'POST /api/members/invites': { summary: '批量生成邀请链接 Issue invite links for several members', description: '`{memberIds}` (at most 500): a fresh link for each, as one invite does, all or none (409 `MEMBER_INACTIVE`, 404 for a member not of the branch). `publicUrlSet: false` when the server has no `PUBLIC_URL`.' },
      'GET /api/members/roster/template': { summary: '下载名册模板 Download the roster template', description: 'An .xlsx with the columns 姓名, 登录名, 党小组, 手机号, 角色, 入党日期, and a 说明 sheet naming the branch\'s groups and the roles.', fileAnswer: XLSX },
      'POST /api/members/roster/preview': { summary: '预览名册导入 Preview a roster import', description: 'The filled template as the raw body (at most 1 MiB, 1000 rows). Every row with its status — `new`, `exists` (已存在: the same login and name in this branch) or `invalid` — and each problem as a code, params and words. Changes nothing. 400 `ROSTER_NOT_XLSX`, `ROSTER_NO_HEADER`, `ROSTER_EMPTY`, `ROSTER_TOO_MANY_ROWS`; 413 `ROSTER_TOO_LARGE`.', rawBody: XLSX },
      'POST /api/members/roster/import': { summary: '导入名册 Import a roster', description: 'The same file again: its rows are checked again and the `new` ones added in one transaction (no passwords yet: send invites); rows with problems and members already there are left alone, so the same file twice adds nobody the second time.', rawBody: XLSX },
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
      'GET /api/meetings/{id}/screen': { summary: '签到屏 Check-in screen', description: 'The meeting\'s Ed25519 signing key (`<d>.<x>`, base64url) for the rotating QR code: only its organizers receive it. Members verify the codes offline with the public key (`verifyKey` of the meeting).' },
      'GET /api/checkin/keys': { summary: '签到密钥 Check-in keys', description: 'The caller\'s own Ed25519 signing key for their personal code (出示我的签到码), made on first use; for an organizer also the public keys of the members they may check in by scanning (branch admin: the branch; group leader: the group).' },
      'GET /api/meetings/{id}/attendance': { summary: '出勤情况 Attendance' },
      'POST /api/meetings/{id}/attendance/{memberId}': { summary: '处理出勤（批假、补签等） Decide a member\'s attendance (leave, late check-in…)' },
      'POST /api/meetings/{id}/close': { summary: '结束会议 Close a meeting', description: 'Once: who is expected and neither checked in nor was excused is absent, and attendance points follow. 409 while late check-ins wait for a decision.' },
      'GET /api/meetings/rhythm': { summary: '三会一课执行情况 Meetings held against the rhythm', description: '`?year=` (China time; this year when left out): per type and per group the meetings held per period against the branch\'s rhythm (a period under way is never missed), groups that missed their 党小组会 flagged, attendance rate and 迟到 per member and per closed meeting. A branch admin sees the whole branch, a group leader their own group.' },
      'GET /api/meetings/rhythm/settings': { summary: '三会一课频次设置 The branch\'s rhythm', description: 'Meetings of each type required per month, quarter or year, and the minutes after the start before a check-in is 迟到; the defaults for what the branch never set.' },
      'PUT /api/meetings/rhythm/settings': { summary: '设置三会一课频次 Set the rhythm', description: 'Every type\'s period and count (0: not required) and the 迟到 grace in minutes (0–60).' },
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
    name: 'reviews',
    title: '定期讲评 Reviews',
    description: 'A group\'s 讲评 session for a period (issue 12): 陈述, members rating each other on 五带头, results after closing. Every write is an op through sync (`review.create`, `review.advance`, `review.statement`, `review.ballot`); these are the reads. No ranking anywhere.',
    routes: {
      'GET /api/reviews': { summary: '讲评列表 List review sessions', description: 'Those the caller may see: their group\'s, the branch-wide ones, and the ones they organize. `?period=2026-H1` narrows it.' },
      'GET /api/reviews/{id}': { summary: '查看讲评 Get a review session', description: '陈述 with each member\'s period record, who attended the tied 组织生活会, and the caller\'s own record, ballot and (after closing) result. Never another\'s ballot.' },
      'GET /api/reviews/{id}/my-result': { summary: '我的讲评结果 My own result', description: 'Averages and comments, never who gave them; 409 `REVIEW_NOT_CLOSED` until the session closes.' },
      'GET /api/reviews/{id}/results': { summary: '讲评结果 Results of a session', description: 'For its organizers, once closed: each member\'s averages, rater counts and comments let through, in name order.' },
      'GET /api/reviews/{id}/results.xlsx': { summary: '导出讲评结果 Results as Excel', fileAnswer: XLSX },
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
  {
    name: 'group-reviews',
    title: '五个好评议 Groups\' review',
    description: 'The branch\'s 五个好 review of its groups for a period. Raters (the branch admins and the members they name) send their ballots through the sync push as the `group_review.ballot` op.',
    routes: {
      'GET /api/branch-assessments': { summary: '上级党组织的支部争先评议 How the upper organization rated the branch', description: 'Branch admins: the closed 支部争先 assessments of their own branch with the organization\'s rating and comment (an open one is not shown). Empty for a branch with no upper organization.' },
      'GET /api/group-reviews': { summary: '评议列表 Reviews', description: 'The reviews the member rates in (all of them for a branch admin).' },
      'POST /api/group-reviews': { summary: '建立评议 Start a review', description: 'One per period (409 `GROUP_REVIEW_EXISTS`).' },
      'GET /api/group-reviews/{id}': { summary: '评议详情 A review', description: 'Each group with its figures for the period, the asker\'s own ballot, and the results once closed. Raters only.' },
      'POST /api/group-reviews/{id}/raters': { summary: '邀请评议人 Name a rater' },
      'POST /api/group-reviews/{id}/close': { summary: '结束评议 Close a review', description: 'Final: later ballots are refused (`GROUP_REVIEW_CLOSED`).' },
      'GET /api/group-reviews/{id}/export.xlsx': { summary: '导出评议结果 Export the result (.xlsx)' },
    },
  },
  {
    name: 'review-guests',
    title: '讲评群众评分 Review guests',
    description: 'Guests (职工群众代表, 服务对象) rate a group\'s 讲评 members from their own phones through the session\'s guest link `/g/<code>`, no login; the organizer sets the cap, renews the link and lets guests\' comments through.',
    routes: {
      'GET /api/guest/{code}': { summary: '群众评分页的讲评 The session a guest link opens', description: 'Title, group, period, status and the members\' names and 陈述 only. 404 `REVIEW_GUEST_LINK_INVALID` for a wrong, renewed or switched-off code (counted per address like invite links), 410 `REVIEW_CLOSED` once rating closes.' },
      'POST /api/guest/{code}/ballot': { summary: '群众提交评分 A guest\'s ballot', description: 'One per phone (the page\'s device id, kept hashed): 409 `REVIEW_GUEST_ALREADY`; 409 `REVIEW_GUEST_FULL` past the cap, `REVIEW_NOT_RATING`/`REVIEW_CLOSED` outside rating; 400 for the ballot rules. Every attempt counts per address (429 with `Retry-After`); needs the CSRF header, which the guest page sends. Comments wait for the organizer.' },
      'GET /api/reviews/{id}/guest-link': { summary: '群众评分链接 The guest link', description: 'The session\'s group leader or a branch admin.' },
      'PUT /api/reviews/{id}/guest-link': { summary: '设置群众评分人数与链接 Set the guest cap and link', description: 'Makes the code the first time; `renew: true` makes a new one and the old link stops at once. 409 once the session is closed.' },
      'GET /api/reviews/{id}/guest-comments': { summary: '群众评价审核列表 Guests\' comments to moderate', description: 'Pending by default; `status` for approved or rejected ones.' },
      'POST /api/reviews/{id}/guest-comments/{ballotId}/{rateeId}/moderate': { summary: '审核群众评价 Let a guest\'s comment through or keep it out', description: '409 `REVIEW_COMMENT_MODERATED` when already decided; only approved comments reach the member\'s results.' },
    },
  },
  {
    name: 'appraisal',
    title: '民主评议党员 Appraisal',
    description: 'The year\'s appraisal of every member. Reads only: opening, steps, 个人总结, the anonymous ballot and final grades are ops (`appraisal.open`, `appraisal.step`, `appraisal.summary`, `appraisal.ballot`, `appraisal.decide`). No route answers who gave which grade.',
    routes: {
      'GET /api/appraisals/year/{year}': { summary: '我的民主评议 My appraisal of the year', description: 'The step, the caller\'s 个人总结, whether they voted, whom they grade (with the 优秀 quota and vetoed members), their own counts once counted and final grade once decided.' },
      'GET /api/appraisals/{id}/results': { summary: '评议结果 Appraisal results', description: 'Branch admins (支委会): each member\'s counts, the ballot\'s grade (most given, ties toward the lower), final grade, reason and 个人总结.' },
    },
  },
  {
    name: 'records',
    title: '年度积分与表现记录 Annual records',
    description: 'Each member\'s year on one page: points by 五带头 and month, pledges made and kept, attendance, 讲评 averages, the 民主评议 grade, commendations and veto.',
    routes: {
      'GET /api/records': { summary: '年度记录 Annual records', description: '`?year=` with `scope=member` (default; `id` another member an organizer is over), `group` (`id`; its leader or a branch admin) or `branch` (branch admins).' },
      'GET /api/records/xlsx': { summary: '导出年度记录 Annual records as Excel', description: 'One row per member; same query and access as the JSON.', fileAnswer: XLSX },
    },
  },
]
