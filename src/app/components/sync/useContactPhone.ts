import type { LocalRecord } from '../../db'
import { ENTITY, profileUpdate } from '#shared/sync/ops'
import { ref, watch } from 'vue'
import { getRecord } from '../../db'
import { useSessionStore } from '../../stores/session'
import { useSyncStore } from '../../stores/sync'
import { queueWrite } from '../../sync/write'

export type ContactPhoneRecord = LocalRecord<{ phone: string | null }>

/**
 * The member's own contact phone: read from the phone's copy, written through the outbox
 * (profile.update), so it works offline and shows 待同步 until the server has it.
 */
export function useContactPhone() {
  const session = useSessionStore()
  const sync = useSyncStore()
  const record = ref<ContactPhoneRecord>()

  async function load(): Promise<void> {
    if (session.me)
      record.value = await getRecord(ENTITY.profile, session.me.id)
  }
  // A sync (here or in another tab) may have brought the server's answer.
  watch(() => sync.version, load)

  /** The phone a refused profile.update wanted, for 修改 from 同步失败; undefined once that op is gone. */
  async function refusedPhone(opId: string): Promise<{ phone: string, opId: string } | undefined> {
    const op = await sync.failedOp(opId)
    return op ? { phone: (op.payload as { phone: string | null }).phone ?? '', opId: op.opId } : undefined
  }

  /** Saves on the phone at once and queues the op; `replacesRejected` drops the refused op it corrects. */
  async function save(phone: string | null, replacesRejected?: string): Promise<void> {
    const me = session.me
    if (!me)
      return
    await queueWrite(profileUpdate, { phone }, { entity: ENTITY.profile, id: me.id, data: { id: me.id, phone } }, { replacesRejected })
    await load()
  }

  return { record, load, refusedPhone, save }
}
