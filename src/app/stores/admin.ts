import type { BulkInviteResult, RosterImportResult, RosterPreview } from '#shared/org/roster'
import type { Group, Invite, Member, MemberCreateBody, MemberUpdateBody } from '#shared/schemas/org'
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { orgApi } from '../api/org'
import { useSessionStore } from './session'

/**
 * 支部管理: the branch's groups and members as the organizer screens show them. Online only (an
 * organizer's screens, not the member's outbox): every change is the server's answer, and the
 * lists are read again after one, so counts (a group's members) are the server's.
 */
export const useAdminStore = defineStore('admin', () => {
  const session = useSessionStore()
  const groups = ref<Group[]>([])
  const members = ref<Member[]>([])

  // Another organizer logging in on this phone never sees the last one's lists, not even for a moment.
  /** The links of the last 批量邀请, for the printable QR sheet (in memory only: they are one-time secrets). */
  const inviteSheet = ref<BulkInviteResult | null>(null)

  watch(() => session.me?.id, () => {
    groups.value = []
    members.value = []
    inviteSheet.value = null
  })

  async function loadGroups(): Promise<Group[]> {
    groups.value = await orgApi.groups()
    return groups.value
  }

  /** The member list and the groups to filter it by, read together. */
  async function loadMembers(): Promise<void> {
    const [m, g] = await Promise.all([orgApi.members(), orgApi.groups()])
    members.value = m
    groups.value = g
  }

  const createGroup = (name: string): Promise<Group> => orgApi.createGroup(name)
  const renameGroup = (id: string, name: string): Promise<Group> => orgApi.renameGroup(id, name)
  /** Refused by the server while the group has active members. */
  const removeGroup = (id: string): Promise<{ ok: true }> => orgApi.removeGroup(id)

  const member = (id: string): Promise<Member> => orgApi.member(id)
  const createMember = (body: MemberCreateBody): Promise<Member> => orgApi.createMember(body)

  /** The server's copy of the member after the change, also put into the list. */
  async function updateMember(id: string, body: MemberUpdateBody): Promise<Member> {
    const updated = await orgApi.updateMember(id, body)
    members.value = members.value.map(m => m.id === id ? updated : m)
    return updated
  }

  /** 发送邀请: a fresh one-time link (also how a lost password is reset). */
  const invite = (id: string): Promise<Invite> => orgApi.invite(id)

  /** 名册导入: what the file would do (changes nothing), then the import of its good rows. */
  const rosterTemplateUrl = orgApi.rosterTemplateUrl
  const previewRoster = (file: Blob): Promise<RosterPreview> => orgApi.rosterPreview(file)
  async function importRoster(file: Blob): Promise<RosterImportResult> {
    const result = await orgApi.rosterImport(file)
    members.value = []
    return result
  }

  /** 批量邀请: fresh links for these members, kept for the QR sheet. */
  async function inviteMany(memberIds: string[]): Promise<BulkInviteResult> {
    inviteSheet.value = await orgApi.invites(memberIds)
    return inviteSheet.value
  }

  return { groups, members, loadGroups, loadMembers, createGroup, renameGroup, removeGroup, member, createMember, updateMember, invite, rosterTemplateUrl, previewRoster, importRoster, inviteSheet, inviteMany }
})
