import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { ROLES } from '../roles'

/** UUIDs are made on the phone for anything created offline, so ids are strings everywhere. */
export const Id = Type.String({ format: 'uuid', maxLength: 36 })
export const Name = Type.String({ minLength: 1, maxLength: LIMITS.nameMax, pattern: '\\S' })
export const Login = Type.String({
  minLength: LIMITS.loginMin,
  maxLength: LIMITS.loginMax,
  pattern: '^[A-Za-z0-9_.@+-]+$',
})
export const Password = Type.String({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax })
export const Phone = Type.String({ pattern: '^\\+?[0-9 -]{5,20}$', maxLength: 20 })
export const RoleSchema = Type.Union([Type.Literal(ROLES[0]), Type.Literal(ROLES[1]), Type.Literal(ROLES[2])])
export const Title = Type.String({ minLength: 1, maxLength: LIMITS.titleMax })
export const IsoDateTime = Type.String({ format: 'date-time' })
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const IdParams = Type.Object({ id: Id })

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
})

export const OkBody = Type.Object({ ok: Type.Literal(true) })
