import type { Me } from '#shared/schemas/auth'
import { randomUUID } from 'node:crypto'
import { nameRules } from '#app/composables/form-rules'
import { closeDb, DB_NAME, outboxCount } from '#app/db'
import { useSessionStore } from '#app/stores/session'
import { useSyncStore } from '#app/stores/sync'
import { LocalValidationError, queueWrite } from '#app/sync/write'
import { entryCreate } from '#shared/points/ops'
import { deleteDB } from 'idb'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import 'fake-indexeddb/auto'

/* The phone refuses what the server would refuse (NUL, control characters), with words the member reads. */
beforeEach(() => {
  setActivePinia(createPinia())
  useSessionStore().me = { id: randomUUID(), name: '张三', role: 'member', branchId: randomUUID(), groupId: null } as Me
  useSyncStore().afterWrite = () => {}
})
afterEach(async () => {
  await closeDb()
  await deleteDB(DB_NAME)
})

describe('text with characters no field accepts, on the phone', () => {
  it('should refuse a note with a NUL before queueing it, saying so in the member\'s language, and queue nothing', async () => {
    const payload = { id: randomUUID(), ruleId: randomUUID(), date: '2026-12-01', note: '进社区\u0000宣传' }
    const refused = queueWrite(entryCreate, payload)
    await expect(refused).rejects.toBeInstanceOf(LocalValidationError)
    await expect(refused).rejects.toThrow('含有不允许的字符')
    expect(await outboxCount()).toBe(0)
    // Line breaks are fine in a note: that one is queued.
    await queueWrite(entryCreate, { ...payload, note: '进社区\n宣传' })
    expect(await outboxCount()).toBe(1)
  })

  it('should flag a name with a control character in the form, and accept Chinese and emoji', () => {
    const rule = nameRules('请输入姓名')[1]!
    const check = (v: string) => (rule.validator as (v: string) => boolean)(v)
    expect(check('张\u0000三')).toBe(false)
    expect(check('张\t三')).toBe(false)
    expect(check('张三😀')).toBe(true)
  })
})
