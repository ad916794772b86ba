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
} as const satisfies Record<string, Words>
