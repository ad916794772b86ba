import { Type } from 'typebox'
import { LIMITS } from '../constants'
import { ROLES } from '../roles'

/*
 * Text a person types. PostgreSQL refuses U+0000 in text (a 500, and a poisoned sync batch), and
 * no keyboard types the other C0 controls, DEL or a lone UTF-16 surrogate: every string field is a
 * Line (one line: names, titles, logins) or a Text (may hold line breaks and tabs: notes, minutes,
 * reasons), never a bare Type.String. Both patterns run with the `u` flag (Ajv and TypeBox), so a
 * lone surrogate is one code point the class refuses, while a valid pair (emoji) is accepted.
 */
const LINE_BAD = '\\u0000-\\u001F\\u007F\\uD800-\\uDFFF'
const TEXT_BAD = '\\u0000-\\u0008\\v\\f\\u000E-\\u001F\\u007F\\uD800-\\uDFFF'
/** A value may not be only spaces: checked by a lookahead, so a long refused value costs one pass, not a backtracking search. */
const FILLED = '(?=[\\s\\S]*\\S)'
export const LINE_PATTERNS = [`^[^${LINE_BAD}]*$`, `^${FILLED}[^${LINE_BAD}]*$`] as const
export const TEXT_PATTERNS = [`^[^${TEXT_BAD}]*$`, `^${FILLED}[^${TEXT_BAD}]*$`] as const
const lineBad = new RegExp(`[${LINE_BAD}]`, 'u')
const textBad = new RegExp(`[${TEXT_BAD}]`, 'u')

/** True when `value` holds a character no field accepts (multiLine: line breaks and tabs are fine). */
export function hasForbiddenCharacters(value: string, multiLine = false): boolean {
  return (multiLine ? textBad : lineBad).test(value)
}

/** One line of text; `minLength` ≥ 1 also refuses a value of only spaces. */
export function Line(maxLength: number, minLength = 0) {
  return Type.String({ minLength, maxLength, pattern: LINE_PATTERNS[minLength > 0 ? 1 : 0] })
}

/** Text that may run over several lines (notes, minutes, reasons); `minLength` ≥ 1 also refuses only spaces. */
export function Text(maxLength: number, minLength = 0) {
  return Type.String({ minLength, maxLength, pattern: TEXT_PATTERNS[minLength > 0 ? 1 : 0] })
}

/** The largest value an `integer` column holds on PostgreSQL (int4): a bigger number is a 400, not a 500. */
export const INT4_MAX = 2_147_483_647

/** UUIDs are made on the phone for anything created offline, so ids are strings everywhere. */
export const Id = Type.String({ format: 'uuid', maxLength: 36 })
export const Name = Line(LIMITS.nameMax, 1)
export const Login = Type.String({
  minLength: LIMITS.loginMin,
  maxLength: LIMITS.loginMax,
  pattern: '^[A-Za-z0-9_.@+-]+$',
})
export const Password = Type.String({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax })
export const Phone = Type.String({ pattern: '^\\+?[0-9 -]{5,20}$', maxLength: 20 })
export const RoleSchema = Type.Union([Type.Literal(ROLES[0]), Type.Literal(ROLES[1]), Type.Literal(ROLES[2])])
export const Title = Line(LIMITS.titleMax, 1)
export const IsoDateTime = Type.String({ format: 'date-time' })
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const IdParams = Type.Object({ id: Id })

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  /** Both languages, Chinese first: for API clients and logs. The app words the code itself. */
  message: Type.String(),
  /** With a code of the shared error catalog (src/shared/errors): what the app words it with. */
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
})

export const OkBody = Type.Object({ ok: Type.Literal(true) })
