import type { Words } from '../errors/words'

/** Refusals of 支部争先 (the upper organization's assessment of its branches), merged into the catalog. */
export const ASSESSMENT_ERRORS = {
  ASSESSMENT_CLOSED: { zh: '本次支部争先评议已结束，不能再评分或修改', en: 'This branch assessment is closed; nothing can be rated or changed' },
  ASSESSMENT_ALREADY_CLOSED: { zh: '本次支部争先评议已由{name}结束', en: 'This branch assessment was already closed by {name}' },
  ASSESSMENT_UNKNOWN_BRANCH: { zh: '只能评议本组织下属的支部', en: 'Only this organization\'s own branches can be rated' },
  ASSESSMENT_SCORE_RANGE: { zh: '请给「{name}」的五个方面各选一个评价（满意、比较满意、基本满意、不满意）', en: 'Rate {name} on all five standards (4, 3, 2 or 1)' },
  ASSESSMENT_EXISTS: { zh: '{period}的支部争先评议已经建立', en: 'The branch assessment for {period} already exists' },
  BRANCH_PLEDGE_UPPER_EVALUATES: { zh: '支部向上级党组织的承诺由上级党组织评诺', en: 'A branch\'s pledge to its upper organization is evaluated by that organization' },
  BRANCH_PLEDGE_ONLY: { zh: '上级党组织只评支部的承诺，党员和党小组的承诺由支部评诺', en: 'The upper organization evaluates only branch pledges; members\' and groups\' pledges are evaluated by the branch' },
} as const satisfies Record<string, Words>
