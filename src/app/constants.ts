/** Every key this app keeps in localStorage, in one place. */
export const STORAGE_KEYS = {
  me: 'xf.me',
  locale: 'xf.locale',
  elderMode: 'xf.elderMode',
  installDismissed: 'xf.installDismissed',
} as const

/** Titles offered as ticks in the member form (the leadership group's posts); any other can be typed. */
export const TITLE_PRESETS = ['组长', '副组长', '办公室主任'] as const
