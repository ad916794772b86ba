import type { Round, RoundCreateBody, RoundUpdateBody, Shortlist } from '#shared/commendations/schemas'
import type { MyHonour, RoundSummary } from '../components/commendations/honours-api'
import { commendationDecide, commendationNominate } from '#shared/commendations/ops'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { honoursApi } from '../components/commendations/honours-api'
import { queueWrite } from '../sync/write'

/** A nominee as the organizer's phone shows it: the server's copy with a decision or nomination still on the phone (待同步) laid over it. */
export type ShownNominee = Round['nominees'][number] & { syncPending: boolean }

/**
 * 评选表彰 (issue 13): rounds, the shortlist and 公示 online; nominating and deciding are queued
 * as ops through the same outbox as every other write, shown at once as 待同步 and replaced by the
 * server's answer on the next load (a refused one appears in 同步失败).
 */
export const useCommendationsStore = defineStore('commendations', () => {
  const rounds = ref<RoundSummary[]>([])
  const round = ref<Round | null>(null)
  const shortlist = ref<Shortlist | null>(null)
  const mine = ref<MyHonour[]>([])
  /** Writes queued here and not yet in a loaded round, by nominee id. */
  const pending = ref<Record<string, ShownNominee>>({})

  async function loadRounds() {
    rounds.value = await honoursApi.rounds()
  }
  async function loadRound(id: string, withShortlist: boolean) {
    const [r, s] = await Promise.all([honoursApi.round(id), withShortlist ? honoursApi.shortlist(id) : Promise.resolve(null)])
    round.value = r
    shortlist.value = s
    // What the server now has (decided or nominated) replaces the phone's pending copy.
    for (const n of r.nominees) {
      const p = pending.value[n.id]
      if (p && (n.status !== 'nominated' || p.status === 'nominated'))
        delete pending.value[n.id]
    }
  }
  async function create(body: RoundCreateBody) {
    return honoursApi.create(body)
  }
  async function update(id: string, body: RoundUpdateBody) {
    round.value = await honoursApi.update(id, body)
    shortlist.value = await honoursApi.shortlist(id)
  }
  async function step(id: string, to: 'nominating' | 'publicity') {
    round.value = await honoursApi.step(id, to)
  }
  async function moderate(feedbackId: string, decision: 'approve' | 'reject') {
    await honoursApi.moderate(feedbackId, decision)
    if (round.value)
      await loadRound(round.value.id, false)
  }
  async function loadMine() {
    mine.value = await honoursApi.mine()
  }

  async function nominate(input: { titleId: string, candidateId: string, name: string, target: 'member' | 'group', citation: string }) {
    const r = round.value!
    const id = crypto.randomUUID()
    const memberId = input.target === 'member' ? input.candidateId : null
    const groupId = input.target === 'group' ? input.candidateId : null
    const payload = { id, roundId: r.id, titleId: input.titleId, citation: input.citation, ...(memberId ? { memberId } : {}), ...(groupId ? { groupId } : {}) }
    const shown: ShownNominee = { id, titleId: input.titleId, memberId, groupId, name: input.name, groupName: null, citation: input.citation, status: 'nominated', decidedAt: null, feedback: [], syncPending: true }
    await queueWrite(commendationNominate, payload, { entity: 'commendation_nominee', id, data: shown })
    pending.value[id] = shown
  }

  async function decide(nominee: Round['nominees'][number], awarded: boolean) {
    const shown: ShownNominee = { ...nominee, status: awarded ? 'awarded' : 'not_awarded', syncPending: true }
    await queueWrite(commendationDecide, { nomineeId: nominee.id, awarded }, { entity: 'commendation_nominee', id: nominee.id, data: shown })
    pending.value[nominee.id] = shown
  }

  /** The round's nominees with the phone's pending writes laid over them. */
  function nominees(): ShownNominee[] {
    const server = (round.value?.nominees ?? []).map(n => pending.value[n.id] ?? { ...n, syncPending: false })
    const added = Object.values(pending.value).filter(p => !server.some(n => n.id === p.id) && round.value?.titles.some(t => t.id === p.titleId))
    return [...server, ...added]
  }

  return { rounds, round, shortlist, mine, pending, loadRounds, loadRound, create, update, step, moderate, loadMine, nominate, decide, nominees }
})
