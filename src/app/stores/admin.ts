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
  watch(() => session.me?.id, () => {
    groups.value = []
    members.value = []
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

  return { groups, members, loadGroups, loadMembers, createGroup, renameGroup, removeGroup, member, createMember, updateMember, invite }
})
