import { tokenFromHash } from '#app/composables/hash-token'
import { describe, expect, it } from 'vitest'

const TOKEN = 'zvc_u8_t7oBhgi_fX4vT-tAUNSnBH6l1rxVnRt6ffr4'

describe('tokenFromHash', () => {
  it('should read the token from the fragment the server prints', () => {
    expect(tokenFromHash(`#${TOKEN}`)).toBe(TOKEN)
  })

  it('should accept the token= form and stray spaces or percent-encoding from a forwarded link', () => {
    expect(tokenFromHash(`#token=${TOKEN}`)).toBe(TOKEN)
    expect(tokenFromHash(`#${TOKEN}%20`)).toBe(TOKEN)
  })

  it('should give null for a missing, cut-off or mangled token', () => {
    expect(tokenFromHash('')).toBeNull()
    expect(tokenFromHash('#')).toBeNull()
    expect(tokenFromHash('#short')).toBeNull()
    expect(tokenFromHash(`#${TOKEN}<script>`)).toBeNull()
    expect(tokenFromHash('#%E0%A4%A')).toBeNull()
  })
})
