import type { TestApp } from '../server/helper'
import { randomUUID } from 'node:crypto'
import { ApiError } from '#app/api/client'
import { errorText, wordRefusal } from '#app/api/errors'
import { i18n } from '#app/i18n'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, setUpBranch } from '../server/helper'
import { addMember, op, push } from '../server/sync-helper'

/*
 * The server answers a code and params; the phone words them in the member's language. Each case
 * goes through the real server and the app's errorText, in Chinese and in English.
 */
let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})
afterAll(async () => {
  await t.close()
})

async function answer(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<ApiError> {
  const res = await t.app.inject({ method, url, payload: payload as object, headers: { 'x-xianfeng': '1' } })
  const body = res.json() as { code: string, message: string, params?: Record<string, string | number> }
  return new ApiError(res.statusCode, body.code, body.message, body.params)
}

const hasChinese = (s: string) => /[\u4E00-\u9FFF]/.test(s)
const hasLatinWords = (s: string) => /[a-z]{3,}/i.test(s.replace(/body\/\w+|\/api\/\S+|GET|POST/g, ''))

describe('errors worded on the phone, not by the server', () => {
  it('should tell a member a blank login name only in Chinese, and only in English when the app is in English', async () => {
    const err = await answer('POST', '/api/auth/login', { login: '   ', password: 'x' })
    expect(err.status).toBe(400)
    expect(err.code).toBe('VALIDATION')
    // The server's message is both languages, for API clients; the screen shows one.
    expect(hasChinese(err.message) && hasLatinWords(err.message)).toBe(true)
    const zh = errorText(err)
    expect(zh).toContain('不能只有空格')
    expect(hasLatinWords(zh)).toBe(false)
    i18n.global.locale.value = 'en'
    const en = errorText(err)
    expect(en).toContain('must not be blank')
    expect(hasChinese(en)).toBe(false)
  })

  it('should name an unknown address in the member\'s language', async () => {
    const err = await answer('GET', '/api/no-such-thing')
    expect(err.status).toBe(404)
    expect(errorText(err)).toBe('没有这个接口')
    i18n.global.locale.value = 'en'
    expect(errorText(err)).toBe('No route GET /api/no-such-thing')
  })

  it('should tell a wrong password at login only in Chinese, and only in English in English', async () => {
    const err = await answer('POST', '/api/auth/login', { login: 'nobody-here', password: 'wrong-pass-1' })
    expect(err.status).toBe(401)
    expect(err.code).toBe('WRONG_LOGIN')
    expect(err.message).toMatch(/登录名或密码不正确/)
    expect(errorText(err)).toBe('登录名或密码不正确')
    i18n.global.locale.value = 'en'
    expect(errorText(err)).toBe('Wrong login name or password')
  })

  it('should word a refused op in 同步失败 from its code and params, naming the member in either language', async () => {
    const { admin, branchId } = await setUpBranch(t.app, t.handle)
    const ben = await addMember(t.app, t.handle, branchId, 'ben')
    await t.handle.db.updateTable('member').set({ active: 0 }).where('id', '=', ben.id).execute()
    const res = await push(admin, [op('points.adjust', { id: randomUUID(), memberId: ben.id, reason: '表现突出', category: 'serve', points: 1, date: new Date().toISOString().slice(0, 10) })])
    const result = res.json().results[0] as { code: string, params?: Record<string, string | number>, message: string }
    expect(result).toMatchObject({ code: 'ADJUSTMENT_MEMBER_LEFT', params: { name: 'ben' } })
    expect(wordRefusal(result.code, result.params, result.message)).toBe('ben 已离开本支部，不能再记分')
    i18n.global.locale.value = 'en'
    expect(wordRefusal(result.code, result.params, result.message)).toBe('ben has left the branch')
  })

  it('should word a precise reason under a general code (FORBIDDEN) in the member\'s language', async () => {
    const member = await addMember(t.app, t.handle, (await t.handle.db.selectFrom('branch').select('id').executeTakeFirstOrThrow()).id, 'cara')
    const res = await member.client.get('/api/points/sheet?scope=branch&period=year&year=2026')
    const body = res.json() as { code: string, message: string, params?: Record<string, string | number> }
    expect(res.statusCode).toBe(403)
    expect(body).toMatchObject({ code: 'FORBIDDEN', params: { reason: 'SHEET_BRANCH_ONLY' } })
    const err = new ApiError(403, body.code, body.message, body.params)
    expect(errorText(err)).toBe('只有支部管理员可以导出全支部')
    i18n.global.locale.value = 'en'
    expect(errorText(err)).toBe('Only a branch admin can export the whole branch')
  })

  it('should keep the server\'s message for a code the catalog does not word yet', () => {
    const err = new ApiError(409, 'SOMETHING_NEW', '新的情况 Something new')
    expect(errorText(err)).toBe('新的情况 Something new')
  })
})
