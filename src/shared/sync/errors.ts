import type { Words } from '../errors/words'
import { REJECT } from './protocol'

/** Sync's own refusals (the push loop, the sync routes), merged into the shared catalog. */
export const SYNC_ERRORS = {
  [REJECT.malformed]: { zh: '记录格式不正确', en: 'The op is malformed' },
  [REJECT.unknownType]: { zh: '服务器不认识这种记录（{type}），请更新应用', en: 'Unknown op type {type}; update the app' },
  [REJECT.invalidPayload]: { zh: '记录内容不符合要求', en: 'The op\'s content is invalid: {detail}' },
  [REJECT.idReused]: { zh: '这条记录的编号已被另一条不同的记录使用', en: 'This op id was already used for a different op' },
  [REJECT.forbidden]: { zh: '您没有权限进行此操作', en: 'You may not do this' },
  [REJECT.notYours]: { zh: '只能记录自己的数据', en: 'You can only record your own data' },
  SYNC_PROTOCOL: { zh: '应用版本与服务器不一致，请刷新或更新应用', en: 'Sync protocol {protocol} is not supported (server speaks {server}); reload the app' },
  SYNC_BATCH_TOO_LARGE: { zh: '一次最多同步 {limit} 条', en: 'At most {limit} ops per push' },
} as const satisfies Record<string, Words>
