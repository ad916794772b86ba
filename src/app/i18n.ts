import { createI18n } from 'vue-i18n'
import { STORAGE_KEYS } from './constants'
import en from './locales/en.json'
import zhCN from './locales/zh-CN.json'

export type MessageSchema = typeof zhCN
export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

const LOCALE_KEY = STORAGE_KEYS.locale

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY)
  return saved === 'en' ? 'en' : 'zh-CN'
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en': en },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(LOCALE_KEY, locale)
  document.documentElement.lang = locale
}
