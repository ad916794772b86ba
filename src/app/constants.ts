/** Every key this app keeps in localStorage, in one place. */
export const STORAGE_KEYS = {
  me: 'xf.me',
  locale: 'xf.locale',
  elderMode: 'xf.elderMode',
  installDismissed: 'xf.installDismissed',
} as const
