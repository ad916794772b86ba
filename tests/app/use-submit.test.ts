import { useSubmit } from '#app/composables/useSubmit'
import { describe, expect, it } from 'vitest'

describe('useSubmit: the busy / error block of every form', () => {
  it('is busy while the action runs, and a second tap during it sends nothing', async () => {
    const { busy, run } = useSubmit()
    let calls = 0
    let finish!: () => void
    const first = run(() => new Promise<string>((resolve) => {
      calls++
      finish = () => resolve('saved')
    }))
    expect(busy.value).toBe(true)
    expect(await run(async () => {
      calls++
      return 'twice'
    })).toBeUndefined()
    finish()
    expect(await first).toBe('saved')
    expect(calls).toBe(1)
    expect(busy.value).toBe(false)
  })

  it('keeps the words of a failure, and clears them when the next attempt starts', async () => {
    const { error, busy, run } = useSubmit()
    expect(await run(async () => {
      throw new Error('登录名或密码不正确')
    })).toBeUndefined()
    expect(error.value).toBe('登录名或密码不正确')
    expect(busy.value).toBe(false)
    let seen = 'unset'
    await run(async () => {
      seen = error.value
    })
    expect(seen).toBe('')
  })
})
