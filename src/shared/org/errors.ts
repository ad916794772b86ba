import type { Words } from '../errors/words'

/** 党小组 and members (branch admin's screens): refusals merged into the shared catalog. */
export const ORG_ERRORS = {
  GROUP_NAME_TAKEN: { zh: '已有名为「{name}」的党小组', en: 'A group named "{name}" already exists' },
  GROUP_NOT_EMPTY: { zh: '「{name}」还有 {count} 名成员，请先把他们移到其他党小组', en: '"{name}" still has {count} active members; move them to another group first' },
  LOGIN_TAKEN: { zh: '该登录名已被使用，请换一个', en: 'This login name is taken; choose another' },
  LOGIN_NAME_TAKEN: { zh: '登录名「{login}」已被使用，请换一个', en: 'The login name "{login}" is taken; choose another' },
  LEADER_NEEDS_GROUP: { zh: '党小组长必须属于一个党小组', en: 'A group leader must belong to a group' },
  MEMBERS_OWN_GROUP_ONLY: { zh: '只能查看本党小组的成员', en: 'You can only see members of your own group' },
  LAST_ADMIN: { zh: '这是支部唯一的管理员，请先任命另一位支部管理员', en: 'This is the branch\'s only admin; make someone else a branch admin first' },
  MEMBER_INACTIVE_INVITE: { zh: '该成员已停用，请先恢复再邀请', en: 'This member is deactivated; reactivate them first' },
  // 名册导入: the file, then each row's problems (shown in the preview, one line each).
  ROSTER_NOT_XLSX: { zh: '这不是 Excel 文件（.xlsx），请用下载的模板填写后上传', en: 'This is not an Excel file (.xlsx); fill in the downloaded template and upload it' },
  ROSTER_TOO_LARGE: { zh: '文件太大（上限 {limit} KB），名册文件通常只有几十 KB', en: 'The file is too large (limit {limit} KB); a roster is usually a few dozen KB' },
  ROSTER_NO_HEADER: { zh: '第一行应是表头，至少包含：{columns}', en: 'The first row must be the header with at least: {columns}' },
  ROSTER_EMPTY: { zh: '表里没有党员，请在表头下面逐行填写', en: 'The sheet has no members; fill in one per row under the header' },
  ROSTER_TOO_MANY_ROWS: { zh: '一次最多导入 {max} 行，请分成几个文件', en: 'At most {max} rows at a time; split the file' },
  ROSTER_NAME_MISSING: { zh: '缺少姓名', en: 'Name is missing' },
  ROSTER_NAME_BAD: { zh: '姓名过长（最多 {max} 个字）或含有不允许的字符', en: 'The name is too long (at most {max}) or has characters that are not allowed' },
  ROSTER_LOGIN_MISSING: { zh: '缺少登录名', en: 'Login name is missing' },
  ROSTER_LOGIN_BAD: { zh: '登录名「{login}」只能用 {min}–{max} 个英文字母、数字或 _ . @ + -', en: 'The login name "{login}" may only use {min}–{max} letters, digits or _ . @ + -' },
  ROSTER_LOGIN_DUPLICATE: { zh: '登录名「{login}」在表中重复（第 {lines} 行）', en: 'The login name "{login}" appears again in the file (row {lines})' },
  ROSTER_LOGIN_TAKEN: { zh: '登录名「{login}」已被其他党员使用', en: 'The login name "{login}" is taken by another member' },
  ROSTER_GROUP_UNKNOWN: { zh: '没有名为「{group}」的党小组，请先在「党小组」中添加或改正名称', en: 'There is no group named "{group}"; add it under Groups first or correct the name' },
  ROSTER_LEADER_NEEDS_GROUP: { zh: '党小组长必须填写所在党小组', en: 'A group leader needs a group' },
  ROSTER_PHONE_BAD: { zh: '手机号「{phone}」格式不对', en: 'The phone number "{phone}" is not valid' },
  ROSTER_DATE_BAD: { zh: '入党日期「{date}」无法识别，请写成 2001-07-01', en: 'The joining date "{date}" is not a date; write it as 2001-07-01' },
  ROSTER_ROLE_UNKNOWN: { zh: '角色「{role}」无法识别，请填 党员、党小组长 或 支部管理员', en: 'The role "{role}" is unknown; use 党员, 党小组长 or 支部管理员' },
} as const satisfies Record<string, Words>
