// @vitest-environment happy-dom
import AuthInviteForm from '#app/components/auth/AuthInviteForm.vue'
import AuthPasswordForm from '#app/components/auth/AuthPasswordForm.vue'
import AuthSetupForm from '#app/components/auth/AuthSetupForm.vue'
import { i18n } from '#app/i18n'
import { useSessionStore } from '#app/stores/session'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

// Node cannot import Vant's CSS; the styles play no part here.
vi.mock('vant/es/button/style', () => ({}))
vi.mock('vant/es/field/style', () => ({}))
vi.mock('vant/es/form/style', () => ({}))
vi.mock('vant/es/loading/style', () => ({}))
vi.mock('vant/es/toast/style', () => ({}))

/* The auth forms through the session store, against a fake server: what the member reads. */
const page = { template: '<div />' }
async function router() {
  const r = createRouter({ history: createMemoryHistory(), routes: ['home', 'login', 'invite', 'me', 'upper'].map(name => ({ path: `/${name}`, name, component: page })) })
  await r.push('/invite')
  return r
}
function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

beforeEach(() => {
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('接受邀请', () => {
  it('should replace the form with what to do when the link was already used', async () => {
    location.hash = '#tok_abcdefghijkl'
    const fetch = vi.fn(async () => answer(410, { code: 'INVITE_USED', message: 'Invite used' }))
    vi.stubGlobal('fetch', fetch)
    const form = mount(AuthInviteForm, { global: { plugins: [i18n, await router()] } })
    await flushPromises()
    expect(fetch).toHaveBeenCalledWith('/api/invites/tok_abcdefghijkl', expect.anything())
    expect(form.find('[data-testid="invite-problem"]').text()).toContain('这个邀请链接已经用过了')
    expect(form.find('form').exists()).toBe(false)
  })

  it('should show whose invite it is, and log the member in once the password is set', async () => {
    location.hash = '#tok_abcdefghijkl'
    const me = { id: 'm1', name: '张三', login: 'zhangsan', role: 'member', branchId: 'b1', branchName: '第一支部', groupId: null, groupName: null, titles: [], phone: null }
    vi.stubGlobal('fetch', vi.fn(async (url: string) => url.endsWith('/accept')
      ? answer(200, me)
      : answer(200, { memberName: '张三', branchName: '第一支部', login: 'zhangsan', expiresAt: '2026-12-10T00:00:00.000Z' })))
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: vi.fn(), removeItem: vi.fn() })
    const r = await router()
    const form = mount(AuthInviteForm, { global: { plugins: [i18n, r] } })
    await flushPromises()
    expect(form.find('[data-testid="invite-for"]').text()).toContain('张三')
    await form.find('input[name="password"]').setValue('a-long-password')
    await form.find('input[name="confirm"]').setValue('a-long-password')
    await form.find('form').trigger('submit')
    await vi.waitFor(() => expect(useSessionStore().me?.id).toBe('m1'))
    await flushPromises()
    expect(r.currentRoute.value.name).toBe('home')
  })
})

describe('修改密码', () => {
  it('should say a wrong current password in the member\'s words and stay on the form', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(400, { code: 'WRONG_PASSWORD', message: 'Wrong password' })))
    const r = await router()
    const form = mount(AuthPasswordForm, { global: { plugins: [i18n, r] } })
    await form.find('input[name="currentPassword"]').setValue('old-password')
    await form.find('input[name="newPassword"]').setValue('a-long-password')
    await form.find('input[name="confirm"]').setValue('a-long-password')
    await form.find('form').trigger('submit')
    await vi.waitFor(() => expect(form.find('[role="alert"]').exists()).toBe(true))
    expect(form.find('[role="alert"]').text()).toBe('当前密码不正确')
    expect(form.find('button[type="submit"]').attributes('disabled')).toBeUndefined()
  })
})

describe('初始设置', () => {
  /** The link check answers only when `release` is called: a slow line. */
  function slowLinkCheck(branchName: string | null) {
    let release = () => {}
    const answered = new Promise<void>(resolve => release = resolve)
    vi.stubGlobal('fetch', vi.fn(async () => {
      await answered
      return answer(200, { needsSetup: true, branchName })
    }))
    return () => release()
  }

  it('should keep the branch name the secretary typed while the link was still being checked', async () => {
    location.hash = '#tok_abcdefghijkl'
    const release = slowLinkCheck('上级起的名字')
    const form = mount(AuthSetupForm, { global: { plugins: [i18n, await router()] } })
    await form.find('input[name="branchName"]').setValue('第三党支部')
    release()
    await flushPromises()
    expect((form.find('input[name="branchName"]').element as HTMLInputElement).value).toBe('第三党支部')
  })

  it('should offer the name the upper organization gave the branch when the field is still empty', async () => {
    location.hash = '#tok_abcdefghijkl'
    const release = slowLinkCheck('第二党支部')
    const form = mount(AuthSetupForm, { global: { plugins: [i18n, await router()] } })
    release()
    await flushPromises()
    expect((form.find('input[name="branchName"]').element as HTMLInputElement).value).toBe('第二党支部')
  })
})

describe('修改密码 by an upper-organization admin', () => {
  it('should go back to the branches overview, not to 我的, once the password is changed', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(200, { ok: true })))
    const r = await router()
    useSessionStore().setMe({ kind: 'upper', id: 'u1', name: '工委管理员', login: 'gw', upperOrgId: 'o1', upperOrgName: '机关工委' })
    const form = mount(AuthPasswordForm, { global: { plugins: [i18n, r] } })
    await form.find('input[name="currentPassword"]').setValue('old-password')
    await form.find('input[name="newPassword"]').setValue('a-long-password')
    await form.find('input[name="confirm"]').setValue('a-long-password')
    await form.find('form').trigger('submit')
    await vi.waitFor(() => expect(r.currentRoute.value.name).toBe('upper'))
  })
})
