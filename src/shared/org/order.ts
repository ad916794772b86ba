/**
 * How Chinese lists are ordered, the same on the server (sheets, xlsx exports, rosters) and on the
 * phone: people by pinyin (Intl.Collator('zh-CN')), 党小组 by their 第N numeral (第一, 第二, 第三 —
 * sorting by code point puts 第三 before 第二), else in the order the branch created them.
 */

const collator = new Intl.Collator('zh-CN', { numeric: true })

/** Two names by pinyin: 张二, 张三, 张四, 张一 (er, san, si, yi). */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b)
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 一 … 九十九 and beyond as a number; null when the text is not a Chinese numeral. */
function chineseNumber(text: string): number | null {
  let total = 0
  let digit = 0
  let seen = false
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch]!
      seen = true
    }
    else if (ch === '十' || ch === '百') {
      total += (seen ? digit : 1) * (ch === '十' ? 10 : 100)
      digit = 0
      seen = false
    }
    else {
      return null
    }
  }
  return total + digit
}

/** The N of a group called 第N… or N组, in Chinese or Arabic numerals (第十二党小组 → 12, 二组 → 2); null without one. */
export function groupNumeral(name: string): number | null {
  const m = /第\s*([零〇一二两三四五六七八九十百]+|\d+)/.exec(name) ?? /^([零〇一二两三四五六七八九十百]+|\d+)\s*(?:组|党小组|小组)/.exec(name)
  if (!m)
    return null
  return /^\d+$/.test(m[1]!) ? Number(m[1]) : chineseNumber(m[1]!)
}

/** A group as ordering needs it: its name, and when known the order the branch set (creation). */
export interface OrderedGroup {
  name: string
  /** Position the branch gave it (its creation order); absent when unknown. */
  order?: number | string | null
}

/**
 * Groups: numbered ones by their numeral, before unnumbered ones; then in the branch's own order
 * (creation), then by pinyin. A member without a group (null) comes last.
 */
export function compareGroups(a: OrderedGroup | null, b: OrderedGroup | null): number {
  if (!a || !b)
    return a === b ? 0 : a ? -1 : 1
  const na = groupNumeral(a.name)
  const nb = groupNumeral(b.name)
  if (na !== null || nb !== null) {
    if (na === null)
      return 1
    if (nb === null)
      return -1
    if (na !== nb)
      return na - nb
  }
  if (a.order != null && b.order != null && a.order !== b.order)
    return a.order < b.order ? -1 : 1
  return compareNames(a.name, b.name)
}

/** A person in a list: their name, and their group when the list spans groups. */
export interface OrderedPerson {
  name: string
  groupName?: string | null
  groupOrder?: number | string | null
}

/** People grouped by their 党小组 (in the group order), then by pinyin within it. */
export function comparePeople(a: OrderedPerson, b: OrderedPerson): number {
  const ga = a.groupName == null ? null : { name: a.groupName, order: a.groupOrder }
  const gb = b.groupName == null ? null : { name: b.groupName, order: b.groupOrder }
  return compareGroups(ga, gb) || compareNames(a.name, b.name)
}

/** People by pinyin alone (one group's roster, a meeting's attendance). */
export function byName<T extends { name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => compareNames(a.name, b.name))
}
