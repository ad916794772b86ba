import type { GuestRelation, MemberDimension, Score } from '#shared/reviews/constants'
import type { GuestSession } from '#shared/reviews/guest-schemas'
import type { GuestLang } from './words'
import { GUEST_RELATIONS, MEMBER_DIMENSIONS, reviewPeriodZh, SCORES } from '#shared/reviews/constants'
import { REVIEW_ERRORS } from '#shared/reviews/errors'
import { REVIEW_GUEST_ERRORS } from '#shared/reviews/guest-errors'
import { checkBallot } from '#shared/reviews/rules'
import { DIMENSION_WORDS, fill, RELATION_WORDS, SCORE_WORDS, WORDS } from './words'
import './guest.css'

/*
 * The 讲评 guest page (issue 12 item 7), a Vite entry of its own (guest.html): a stranger scans the
 * QR on an old phone over mobile data, so it is plain TypeScript and DOM — no Vue, Vant, Pinia or
 * vue-i18n — and a few KB. It checks the ballot with the same shared checkBallot the server runs
 * and words refusals from the same catalog entries. Everything a person typed or the server sent
 * goes into the page as textContent, never as HTML.
 */

const CSRF = { 'x-xianfeng': '1' }
const root = document.getElementById('guest')!
const code = decodeURIComponent(location.pathname.split('/')[2] ?? '')

let lang: GuestLang = (localStorage.getItem('xf-guest-lang') as GuestLang | null) ?? (navigator.language.toLowerCase().startsWith('zh') || !navigator.language ? 'zh' : 'en')
let session: GuestSession | null = null
let notice: { kind: 'error' | 'ok' | 'info', text: string } | null = null
let sending = false

/** What the guest has filled in, kept across a language switch. */
const form = {
  name: '',
  relation: null as GuestRelation | null,
  rated: new Map<string, { scores: Partial<Record<MemberDimension, Score>>, comment: string }>(),
}

/** This phone's own random id: one ballot per phone per session (the server keeps only its hash). */
function deviceId(): string {
  let id = localStorage.getItem('xf-guest-device')
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16))
    id = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
    localStorage.setItem('xf-guest-device', id)
  }
  return id
}

const w = (key: keyof typeof WORDS, params?: Record<string, string | number>) => fill(WORDS[key][lang], params)

const CATALOG: Record<string, { zh: string, en: string }> = { ...REVIEW_ERRORS, ...REVIEW_GUEST_ERRORS }

/** A refusal in the guest's language, from the shared catalog; the server's own message otherwise. */
function errorWords(body: { code?: string, message?: string, params?: Record<string, string | number> } | null): string {
  const params = { ...body?.params }
  const key = String(params.reason ?? body?.code ?? '')
  const words = CATALOG[key]
  if (!words)
    return body?.message ?? w('offline')
  if (typeof params.wait === 'number') {
    const minutes = Math.max(1, Math.ceil(params.wait / 60))
    params.wait = lang === 'zh' ? `${minutes} 分钟` : `${minutes} minute${minutes === 1 ? '' : 's'}`
  }
  return fill(words[lang], params)
}

type Child = Node | string | null | false
function h(tag: string, attrs: Record<string, string | boolean | ((e: Event) => void)> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function')
      el.addEventListener(k, v)
    else if (v === true)
      el.setAttribute(k, '')
    else if (v !== false)
      el.setAttribute(k, v)
  }
  for (const c of children) {
    if (c !== null && c !== false)
      el.append(c)
  }
  return el
}

function doneKey(): string {
  return `xf-guest-done:${code}`
}

function langButton(): HTMLElement {
  return h('button', { type: 'button', class: 'g-lang', lang: lang === 'zh' ? 'en' : 'zh-CN', click: () => {
    lang = lang === 'zh' ? 'en' : 'zh'
    localStorage.setItem('xf-guest-lang', lang)
    render()
  } }, w('switchLang'))
}

function statementView(m: GuestSession['members'][number]): HTMLElement {
  if (!m.statement)
    return h('p', { class: 'g-muted' }, w('noStatement'))
  const parts = (['participation', 'pledges', 'improvement'] as const).filter(k => m.statement![k].trim())
  return h('dl', { class: 'g-statement' }, ...parts.flatMap(k => [h('dt', {}, w(k)), h('dd', {}, m.statement![k])]))
}

function scoreRow(memberId: string, d: MemberDimension): HTMLElement {
  const entry = form.rated.get(memberId)!
  const name = `s-${memberId}-${d}`
  return h('fieldset', { class: 'g-dim' }, h('legend', {}, DIMENSION_WORDS[d][lang]), h('div', { class: 'g-scores' }, ...SCORES.map(s => h('label', { class: `g-choice${entry.scores[d] === s ? ' g-on' : ''}` }, h('input', { type: 'radio', name, value: String(s), checked: entry.scores[d] === s, change: () => {
    entry.scores[d] = s
    render()
  } }), SCORE_WORDS[s][lang]))))
}

function memberCard(m: GuestSession['members'][number], open: boolean): HTMLElement {
  const entry = form.rated.get(m.id)
  return h('section', { 'class': 'g-card', 'aria-label': m.name }, h('h3', {}, m.name), statementView(m), open
    ? h('button', { type: 'button', class: 'g-toggle', click: () => {
        if (entry)
          form.rated.delete(m.id)
        else
          form.rated.set(m.id, { scores: {}, comment: '' })
        render()
      } }, entry ? w('skipThis', { name: m.name }) : w('rateThis', { name: m.name }))
    : null, open && entry
    ? h('div', { class: 'g-rate' }, ...MEMBER_DIMENSIONS.map(d => scoreRow(m.id, d)), h('label', { class: 'g-field' }, w('comment'), h('textarea', { rows: '3', maxlength: '500', input: (e) => {
        entry.comment = (e.target as HTMLTextAreaElement).value
      } }, entry.comment)))
    : null)
}

async function submit(e: Event) {
  e.preventDefault()
  if (!session || sending)
    return
  const ratings = [...form.rated].map(([rateeId, r]) => ({ rateeId, scores: r.scores as Record<string, number>, ...(r.comment.trim() ? { comment: r.comment.trim() } : {}) }))
  const problem = form.relation ? checkBallot(session.status, null, new Map(session.members.map(m => [m.id, m.name])), ratings) : null
  if (!form.relation || problem) {
    notice = { kind: 'error', text: !form.relation ? w('chooseRelation') : errorWords(problem) }
    return render()
  }
  sending = true
  notice = null
  render()
  try {
    const res = await fetch(`/api/guest/${encodeURIComponent(code)}/ballot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...CSRF },
      body: JSON.stringify({ deviceId: deviceId(), name: form.name.trim(), relation: form.relation, ratings }),
    })
    const body = await res.json().catch(() => null)
    if (res.ok || body?.code === 'REVIEW_GUEST_ALREADY')
      localStorage.setItem(doneKey(), '1')
    notice = res.ok ? { kind: 'ok', text: w('thanks') } : { kind: 'error', text: errorWords(body) }
  }
  catch {
    notice = { kind: 'error', text: w('offline') }
  }
  sending = false
  render()
}

function render(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
  const s = session
  const done = localStorage.getItem(doneKey()) === '1'
  const open = !!s && s.status === 'rating' && !done
  const header = h('header', { class: 'g-head' }, langButton(), s ? h('h1', {}, s.title) : null, s ? h('p', { class: 'g-sub' }, `${s.groupName} · ${lang === 'zh' ? reviewPeriodZh(s.period) : s.period}`) : null)
  const noticeEl = notice ? h('p', { class: `g-notice g-${notice.kind}`, role: notice.kind === 'error' ? 'alert' : 'status' }, notice.text) : null
  if (!s) {
    root.replaceChildren(header, noticeEl ?? '')
    return
  }
  const info = done
    ? (notice?.kind === 'ok' ? null : h('p', { class: 'g-notice g-ok', role: 'status' }, errorWords({ code: 'REVIEW_GUEST_ALREADY' })))
    : s.status !== 'rating' ? h('p', { class: 'g-notice g-info', role: 'status' }, w('notYet'), ' ', h('button', { type: 'button', class: 'g-link', click: () => location.reload() }, w('reload'))) : null
  const who = open
    ? h('div', {}, h('p', {}, w('intro')), h('label', { class: 'g-field' }, w('yourName'), h('input', { type: 'text', maxlength: '40', autocomplete: 'name', value: form.name, input: (e) => {
        form.name = (e.target as HTMLInputElement).value
      } })), h('fieldset', { class: 'g-dim' }, h('legend', {}, w('relation')), h('div', { class: 'g-scores' }, ...GUEST_RELATIONS.map(r => h('label', { class: `g-choice${form.relation === r ? ' g-on' : ''}` }, h('input', { type: 'radio', name: 'relation', value: r, checked: form.relation === r, change: () => {
        form.relation = r
        render()
      } }), RELATION_WORDS[r][lang])))))
    : null
  const list = h('div', {}, h('h2', {}, w('members')), ...s.members.map(m => memberCard(m, open)))
  const footer = open
    ? h('div', { class: 'g-submit' }, noticeEl, h('p', { class: 'g-muted' }, w('rated', { n: form.rated.size })), h('button', { type: 'submit', class: 'g-primary', disabled: sending }, sending ? w('sending') : w('submit')))
    : null
  root.replaceChildren(h('form', { novalidate: true, submit }, header, open ? null : noticeEl, info, who, list, footer))
}

async function load(): Promise<void> {
  try {
    const res = await fetch(`/api/guest/${encodeURIComponent(code)}`, { headers: { accept: 'application/json' } })
    const body = await res.json().catch(() => null)
    if (res.ok)
      session = body as GuestSession
    else
      notice = { kind: 'error', text: errorWords(body?.code === 'VALIDATION' ? { code: 'REVIEW_GUEST_LINK_INVALID' } : body) }
  }
  catch {
    notice = { kind: 'error', text: w('offline') }
  }
  render()
}

void load()
