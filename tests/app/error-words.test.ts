import type { TestApp } from '../server/helper'
import { ApiError } from '#app/api/client'
import { errorText } from '#app/api/errors'
import { i18n } from '#app/i18n'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../server/helper'

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

  it('should keep the server\'s message for a code the catalog does not word yet', () => {
    const err = new ApiError(409, 'SOMETHING_NEW', '新的情况 Something new')
    expect(errorText(err)).toBe('新的情况 Something new')
  })
})
