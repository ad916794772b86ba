import type { FieldRule } from 'vant'
import { LIMITS } from '#shared/constants'
import { hasForbiddenCharacters } from '#shared/schemas/common'
import { i18n } from '../i18n'

/* Field rules the forms share, with the same limits the server's schemas enforce (#shared). */
const t = i18n.global.t
const LOGIN = /^[\w.@+-]+$/

export const required = (message: string): FieldRule => ({ required: true, message })

/** The characters the server's Line/Text schemas refuse (control characters, NUL; line breaks unless `multiLine`). */
export function allowedCharacters(multiLine = false): FieldRule {
  return { validator: (v: string) => !hasForbiddenCharacters(v ?? '', multiLine), message: () => t('form.badCharacters') }
}

export function nameRules(message: string): FieldRule[] {
  return [
    required(message),
    allowedCharacters(),
    { validator: (v: string) => v.trim().length <= LIMITS.nameMax, message: () => t('form.tooLong', { n: LIMITS.nameMax }) },
  ]
}

export function loginRules(): FieldRule[] {
  return [
    required(t('form.loginRequired')),
    { validator: (v: string) => v.length >= LIMITS.loginMin && v.length <= LIMITS.loginMax && LOGIN.test(v), message: () => t('form.loginInvalid', { min: LIMITS.loginMin, max: LIMITS.loginMax }) },
  ]
}

export function passwordRules(): FieldRule[] {
  return [
    required(t('form.passwordRequired')),
    { validator: (v: string) => v.length >= LIMITS.passwordMin && v.length <= LIMITS.passwordMax, message: () => t('form.passwordShort', { n: LIMITS.passwordMin }) },
  ]
}

/** `password` is read when the rule runs, so it compares with what is typed now. */
export function confirmRules(password: () => string): FieldRule[] {
  return [
    required(t('form.confirmRequired')),
    { validator: (v: string) => v === password(), message: () => t('form.confirmMismatch') },
  ]
}

export function phoneRules(): FieldRule[] {
  return [
    { validator: (v: string) => v.trim() === '' || /^\+?[0-9 -]{5,20}$/.test(v.trim()), message: () => t('form.phoneInvalid') },
  ]
}
