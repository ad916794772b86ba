// @vitest-environment happy-dom
import type { Me } from '#shared/schemas/auth'
import { STORAGE_KEYS } from '#app/constants'
import { guardSession } from '#app/router'
import { useSessionStore } from '#app/stores/session'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'

/*
 * First paint never waits for GET /api/auth/session (issue 17): the route's screen is fetched
 * beside the check, a member cached on the phone opens at once, and the server's answer corrects it.
 */
const me: Me = { id: 'm1', name: '张三', login: 'zhangsan', role: 'member', titles: [], branchId: 'b1', branchName: '第一支部', groupId: null, groupName: null }
const page = { template: '<div />' }

function answer(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
}

/** A fetch whose answer the test gives when it wants: the session check stays pending until then. */
function heldFetch() {
  let release: (response: Response | Error) => void = () => {}
  const fetch = vi.fn((_url: string) => new Promise<Response>((resolve, reject) => {
    release = r => r instanceof Error ? reject(r) : resolve(r)
  }))
  vi.stubGlobal('fetch', fetch)
  return { fetch, release: (r: Response | Error) => release(r) }
}

function makeRouter() {
  const homeLoader = vi.fn(async () => page)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: page, meta: { public: true } },
      { path: '/board', name: 'board', component: page, meta: { public: true } },
      { path: '/', name: 'home', component: homeLoader },
      { path: '/admin', name: 'admin', component: page, meta: { role: 'branch_admin' } },
    ],
  })
  guardSession(router)
  return { router, homeLoader }
}

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('opening the app with a member cached on the phone', () => {
  beforeEach(() => localStorage.setItem(STORAGE_KEYS.me, JSON.stringify(me)))

  it('should open the member\'s screen while the session check is still pending', async () => {
    const { fetch } = heldFetch()
    const { router } = makeRouter()
    await router.push('/')
    expect(router.currentRoute.value.name).toBe('home')
    expect(fetch).toHaveBeenCalledWith('/api/auth/session', expect.anything())
  })

  it('should stay on the screen offline', async () => {
    const { release } = heldFetch()
    const { router } = makeRouter()
    await router.push('/')
    release(new TypeError('Failed to fetch'))
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('home')
    expect(useSessionStore().me?.id).toBe('m1')
  })

  it('should end on the login page, saying so, when the server says the session was revoked', async () => {
    const { release } = heldFetch()
    const { router } = makeRouter()
    await router.push('/')
    release(answer({ member: null }))
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('login')
    expect(useSessionStore().expired).toBe(true)
    expect(localStorage.getItem(STORAGE_KEYS.me)).toBeNull()
  })

  it('should send a member home from an admin screen when the server says the role is lower now', async () => {
    localStorage.setItem(STORAGE_KEYS.me, JSON.stringify({ ...me, role: 'branch_admin' }))
    const { release } = heldFetch()
    const { router } = makeRouter()
    await router.push('/admin')
    expect(router.currentRoute.value.name).toBe('admin')
    release(answer({ member: me }))
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('home')
  })
})

describe('opening the app with nobody cached', () => {
  it('should show the login page without asking the server anything', async () => {
    const { fetch } = heldFetch()
    const { router } = makeRouter()
    await router.push('/login')
    expect(router.currentRoute.value.name).toBe('login')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('should take a login as the session check: no second question on the way to the member\'s screen', async () => {
    const { fetch, release } = heldFetch()
    const { router } = makeRouter()
    await router.push('/login')
    const login = useSessionStore().login('zhangsan', 'secret-pass')
    await flushPromises()
    release(answer(me))
    await login
    await router.push('/')
    expect(router.currentRoute.value.name).toBe('home')
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/auth/login'])
  })

  it('should fetch a member\'s screen beside the check, then open it once the server knows the member', async () => {
    const { release } = heldFetch()
    const { router, homeLoader } = makeRouter()
    const navigation = router.push('/')
    await flushPromises()
    expect(homeLoader).toHaveBeenCalled()
    expect(router.currentRoute.value.name).toBeUndefined()
    release(answer({ member: me }))
    await navigation
    expect(router.currentRoute.value.name).toBe('home')
    expect(JSON.parse(localStorage.getItem(STORAGE_KEYS.me) ?? 'null')).toMatchObject({ id: 'm1' })
  })

  it('should send nobody to the login page, and keep a public page public', async () => {
    const { release } = heldFetch()
    const { router } = makeRouter()
    await router.push('/board')
    const navigation = router.push('/')
    await flushPromises()
    release(answer({ member: null }))
    await navigation
    expect(router.currentRoute.value.name).toBe('login')
    expect(useSessionStore().expired).toBe(false)
  })
})
