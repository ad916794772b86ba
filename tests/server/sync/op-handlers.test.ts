import type { TestApp } from '../helper'
import { profileUpdateHandler } from '#server/org/profile'
import { registeredOpTypes, registerOpHandlers } from '#server/sync/registry'
import { OP_TYPES } from '#shared/sync/op-types'
import { defineOp } from '#shared/sync/protocol'
import { Type } from 'typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helper'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

describe('op handlers', () => {
  it('should run exactly the shared list of op types once the server is built', () => {
    expect(registeredOpTypes().sort()).toEqual([...OP_TYPES].sort())
  })

  it('should refuse to start with a listed op type that has no handler', () => {
    expect(() => registerOpHandlers([profileUpdateHandler])).toThrow(/without a server handler: entry\.create/)
  })

  it('should refuse to start with a handler for a type that is not in the shared list', () => {
    const stray = { definition: defineOp('stray.op', Type.Object({})), apply: async () => null }
    expect(() => registerOpHandlers([profileUpdateHandler, stray])).toThrow(/not in OP_TYPES.*stray\.op/)
    expect(registeredOpTypes()).not.toContain('stray.op')
  })
})
