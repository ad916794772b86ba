import { ERRORS, errorWords, NOUNS } from '#shared/errors/catalog'
import { describe, expect, it } from 'vitest'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)(:noun|:duration)?\}/g)].map(m => m[0]).sort()

describe('the shared error catalog', () => {
  it.each(Object.entries(ERRORS))('%s: the Chinese words use no parameter the English lacks, and both are filled in', (code, words) => {
    for (const p of placeholders(words.zh))
      expect(placeholders(words.en)).toContain(p)
    const params = Object.fromEntries(placeholders(words.en).map(p => [p.slice(1, -1).split(':')[0]!, p.endsWith(':duration}') ? 90 : 'member']))
    expect(errorWords(code, params, 'zh-CN')).not.toMatch(/\{\w+/)
    expect(errorWords(code, params, 'en')).not.toMatch(/\{\w+/)
  })

  it('words a noun in the language asked for', () => {
    expect(errorWords('NOT_FOUND', { what: 'meeting' }, 'zh-CN')).toBe(`${NOUNS.meeting.zh}不存在`)
    expect(errorWords('NOT_FOUND', { what: 'meeting' }, 'en')).toBe('Meeting not found')
    expect(errorWords('NOT_IN_CATALOG', {}, 'en')).toBeUndefined()
  })

  it('words a wait in seconds as seconds or whole minutes, in the language asked for', () => {
    expect(errorWords('LOGIN_TOO_MANY_ACCOUNT', { wait: 30 }, 'zh-CN')).toBe('该账号在此网络地址登录失败次数过多，请 30 秒后再试')
    expect(errorWords('LOGIN_TOO_MANY_ACCOUNT', { wait: 30 }, 'en')).toMatch(/try again in 30 seconds$/)
    expect(errorWords('BUSY', { wait: 61 }, 'zh-CN')).toBe('服务器正忙，请 2 分钟后再试')
    expect(errorWords('BUSY', { wait: 60 }, 'en')).toBe('The server is busy; try again in 1 minute')
  })
})
