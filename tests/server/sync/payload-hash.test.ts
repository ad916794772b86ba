import { createHash } from 'node:crypto'
import { canonicalText, payloadHash } from '#server/sync/push'
import { canonicalJson } from '#shared/sync/protocol'
import { describe, expect, it } from 'vitest'

/*
 * The stored hash of an op's payload decides whether the same op id pushed again is a duplicate
 * or OP_ID_REUSED, across server versions: the shortcut for payloads already in key order must
 * give exactly the hash of canonicalJson.
 */
const reference = (payload: unknown) => createHash('sha256').update(canonicalJson(payload ?? null)).digest('base64url')

describe('payloadHash', () => {
  it.each([
    ['sorted keys', { phone: '13800000000' }],
    ['unsorted keys', { ruleId: 'r', date: '2026-12-01', note: '参加志愿服务', points: 2 }],
    ['nested, sorted outside and not inside', { a: { z: 1, b: [{ y: 2, c: 3 }] }, b: null }],
    ['integer-like keys', { 10: 'x', 2: 'y', a: 1 }],
    ['an array of objects', [{ b: 1, a: 2 }, { a: 1 }]],
    ['no payload', undefined],
    ['null', null],
    ['text with escapes', { text: '引号"与\\反斜杠\n' }],
  ])('should hash %s exactly as canonicalJson does', (_name, payload) => {
    expect(payloadHash(payload)).toBe(reference(payload))
  })

  it('should hash the same payload with its keys in another order the same', () => {
    expect(payloadHash(JSON.parse('{"b":1,"a":{"d":2,"c":3}}'))).toBe(payloadHash(JSON.parse('{"a":{"c":3,"d":2},"b":1}')))
  })

  it('should write random parsed payloads exactly as canonicalJson does', () => {
    // A seeded generator: keys that look like integers (V8 lists those first), ones that do not, nesting, escapes.
    let seed = 17
    const r = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const keyOf = () => ['0', '7', '10', '4294967295', '-1', '01', 'a', 'B', 'note', '引号', '__proto__', 'z"q'][Math.floor(r() * 12)]!
    const valueOf = (depth: number): unknown => {
      const k = r()
      if (depth > 3 || k < 0.3)
        return [null, true, 0, -2.5, 1e21, '', 'a"b\\c\n', '参加志愿服务'][Math.floor(r() * 8)]
      if (k < 0.55)
        return Array.from({ length: Math.floor(r() * 4) }, () => valueOf(depth + 1))
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 6) }, () => [keyOf(), valueOf(depth + 1)]))
    }
    for (let i = 0; i < 500; i++) {
      const payload = JSON.parse(JSON.stringify(valueOf(0))) as unknown
      expect(canonicalText(payload)).toBe(canonicalJson(payload))
      expect(payloadHash(payload)).toBe(reference(payload))
    }
  })
})
