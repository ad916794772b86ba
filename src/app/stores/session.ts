import type { ChangePasswordBody, InviteInfo, Me, SessionState, SetupBody, SetupLinkStatus } from '#shared/schemas/auth'
import type { UpperMe } from '#shared/schemas/upper'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, get, post } from '../api/client'
import { clearCachedMe, loadCachedMe, saveCachedMe } from './session-storage'

/** Who is logged in. Kept on the device too, so the app opens offline as the same member. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(loadCachedMe())
  /**
   * 上级党组织管理员: not a member, so `me` stays null and nothing of a member's (outbox, sync,
   * IndexedDB) starts. Kept in memory only: the read-only view needs the network anyway.
   */
  const upper = ref<UpperMe | null>(null)
  /** True once we asked the server (or learned we cannot reach it). */
  const checked = ref(false)
  /** The server said the session is gone while this device still had a member: log in again. */
  const expired = ref(false)

  const isLoggedIn = computed(() => me.value !== null || upper.value !== null)
  const role = computed(() => me.value?.role ?? null)
  const isOrganizer = computed(() => role.value === 'group_leader' || role.value === 'branch_admin')
  const isBranchAdmin = computed(() => role.value === 'branch_admin')

  /** Who the server just said we are (a login, a setup, an invite accepted, the session check). */
  function setMe(value: Me | UpperMe) {
    expired.value = false
    checked.value = true
    if ('kind' in value) {
      upper.value = value
      me.value = null
      clearCachedMe()
      return
    }
    upper.value = null
    me.value = value
    saveCachedMe(value)
  }

  /**
   * Asks the server who we are. Nobody (no session, or an expired or revoked one) logs this device
   * out; offline or on a server error the cached member stays logged in, as they were.
   */
  async function refresh(): Promise<void> {
    try {
      const { member, upper: account } = await get<SessionState>('/auth/session')
      const who = member ?? account ?? null
      if (who) {
        setMe(who)
      }
      else {
        if (me.value || upper.value)
          expired.value = true
        me.value = null
        upper.value = null
        clearCachedMe()
      }
    }
    catch (err) {
      if (!(err instanceof ApiError))
        throw err
    }
    finally {
      checked.value = true
    }
  }

  let pending: Promise<void> | null = null
  /** The one session check of this start: every caller shares it, and it runs once. */
  function check(): Promise<void> {
    pending ??= refresh()
    return pending
  }

  async function login(login: string, password: string): Promise<void> {
    setMe(await post<Me | UpperMe>('/auth/login', { login, password }))
  }

  async function logout(): Promise<void> {
    await post('/auth/logout')
    me.value = null
    upper.value = null
    clearCachedMe()
  }

  /** 修改密码: the server logs out the member's other devices; this one stays logged in. */
  async function changePassword(body: ChangePasswordBody): Promise<void> {
    await post('/auth/password', body)
  }

  /** Whether the branch still needs its first start (the 初始设置 link is unused). */
  async function needsSetup(): Promise<boolean> {
    return (await get<{ needsSetup: boolean }>('/setup')).needsSetup
  }

  /** Whether this link still sets something up, and the branch it names (a branch its upper organization made); null for an unknown link. */
  async function setupLink(token: string): Promise<SetupLinkStatus | null> {
    try {
      return await get<SetupLinkStatus>(`/setup/${token}`)
    }
    catch (err) {
      if (err instanceof ApiError && err.status === 404)
        return null
      throw err
    }
  }

  /** 初始设置: creates the branch and its first admin, who is then logged in. */
  async function setup(body: SetupBody): Promise<void> {
    setMe(await post<Me>('/setup', body))
  }

  /** Whose invite a link is (name, branch, login, expiry), before the member sets a password. */
  const inviteInfo = (token: string): Promise<InviteInfo> => get<InviteInfo>(`/invites/${token}`)

  /** 接受邀请: sets the member's password; they are then logged in. */
  async function acceptInvite(token: string, password: string): Promise<void> {
    setMe(await post<Me>(`/invites/${token}/accept`, { password }))
  }

  return { me, upper, checked, expired, isLoggedIn, role, setupLink, isOrganizer, isBranchAdmin, setMe, refresh, check, login, logout, changePassword, needsSetup, setup, inviteInfo, acceptInvite }
})
