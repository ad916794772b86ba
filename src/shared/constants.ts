/** Limits and names both sides agree on. Change them here, never inline. */
export const LIMITS = {
  nameMax: 40,
  loginMax: 40,
  loginMin: 2,
  passwordMin: 8,
  passwordMax: 128,
  titleMax: 20,
  titlesMax: 5,
  noteMax: 500,
  /** Request bodies bigger than this get 413 (sync batches carry photos separately). */
  bodyBytes: 1_048_576,
  syncBatchOps: 500,
} as const

export const SESSION = {
  cookie: 'xf_session',
  /** Any custom header forces a CORS preflight, which we never grant: our CSRF guard. */
  csrfHeader: 'x-xianfeng',
  days: 30,
} as const

export const INVITE_DAYS = 7
export const SETUP_TOKEN_HOURS = 24

export const API = '/api'
