import type { Words } from '../errors/words'

/** 上级党组织 (issue 14): refusals merged into the shared catalog (src/shared/errors/catalog.ts). */
export const UPPER_ERRORS = {
  UPPER_READ_ONLY: { zh: '上级党组织管理员只能查看各支部的汇总情况，不能在支部中操作', en: 'An upper-organization admin can only view the branches\' figures, not act in a branch' },
  UPPER_ONLY: { zh: '此页面仅供上级党组织管理员使用', en: 'Only an upper-organization admin may use this' },
  BRANCH_ALREADY_SET_UP: { zh: '该支部已有管理员，无需设置链接；忘记密码请由支部管理员重新发送邀请', en: 'This branch already has an admin and needs no setup link; a forgotten password is handled by a new invite from a branch admin' },
  BRANCH_NAME_TAKEN: { zh: '本组织下已有同名支部', en: 'A branch of that name already exists in this organization' },
} as const satisfies Record<string, Words>
