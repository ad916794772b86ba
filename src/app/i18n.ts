import { createI18n } from 'vue-i18n'
import { STORAGE_KEYS } from './constants'
import zhCN from './locales/zh-CN.json'

export type MessageSchema = typeof zhCN
export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

const LOCALE_KEY = STORAGE_KEYS.locale

function savedLocale(): Locale {
  return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN'
}

// Chinese ships with the first load; English is fetched (and precached) only for members who chose it.
export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  // English is registered by ensureMessages() before it is ever selected.
  messages: { 'zh-CN': zhCN } as Record<Locale, MessageSchema>,
})

async function ensureMessages(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en'))
    i18n.global.setLocaleMessage('en', (await import('./locales/en.json')).default)
}

export async function setLocale(locale: Locale): Promise<void> {
  await ensureMessages(locale)
  i18n.global.locale.value = locale
  localStorage.setItem(LOCALE_KEY, locale)
  document.documentElement.lang = locale
}

/** Before the first paint: the saved language (at once for Chinese, after one small chunk for English). */
export async function restoreLocale(): Promise<void> {
  const locale = savedLocale()
  if (locale !== 'zh-CN')
    await setLocale(locale).catch(() => undefined)
}
