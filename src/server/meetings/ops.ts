import type { OpHandler } from '../sync/registry'
import { MEETING_REJECT, meetingAttendance, meetingClose, meetingCreate } from '#shared/meetings/ops'
import { HttpError } from '../errors'
import { OpRejection, opRejection } from '../sync/registry'
import { closeOrganized, createMeeting, decideOrganized } from './service'

/**
 * The organizer's ops: the phone's write path for what the REST routes also do online (create,
 * close, attendance decisions). Each calls the same service function as its route; the service's
 * refusals (HttpError) become OpRejections with the same code and message, so a conflict —
 * closing a meeting another organizer closed, deciding attendance of a closed meeting — lands in
 * the organizer's 同步失败 with the reason, and nothing is overwritten.
 */
async function asOp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  }
  catch (err) {
    if (!(err instanceof HttpError))
      throw err
    // Another branch's meeting is as good as missing, as on the REST routes (404).
    if (err.statusCode === 404)
      throw opRejection(MEETING_REJECT.notFound)
    if (err.statusCode === 403)
      throw new OpRejection(MEETING_REJECT.notOrganizer, err.message, err.params)
    throw new OpRejection(err.code, err.message, err.params)
  }
}

/** meeting.create: the id is the phone's, so the organizer could open the meeting before it synced. */
export const meetingCreateHandler: OpHandler<typeof meetingCreate.payload> = {
  definition: meetingCreate,
  role: 'group_leader',
  async apply(ctx, p) {
    const { id, ...body } = p
    const taken = await ctx.trx.selectFrom('meeting').select('id').where('id', '=', id).executeTakeFirst()
    if (taken)
      throw opRejection(MEETING_REJECT.idTaken)
    return asOp(() => createMeeting(ctx.trx, ctx.actor, id, body))
  },
}

/** meeting.close: settles attendance once; a meeting already closed or cancelled is refused by name. */
export const meetingCloseHandler: OpHandler<typeof meetingClose.payload> = {
  definition: meetingClose,
  role: 'group_leader',
  async apply(ctx, p) {
    const result = await asOp(() => closeOrganized(ctx.trx, ctx.actor, p.meetingId))
    return result.meeting
  },
}

/** meeting.attendance: 代签到, 请假, confirming or refusing a late scan, or clearing a decision. */
export const meetingAttendanceHandler: OpHandler<typeof meetingAttendance.payload> = {
  definition: meetingAttendance,
  role: 'group_leader',
  async apply(ctx, p) {
    const { meetingId, memberId, action, reason } = p
    const { record } = await asOp(() => decideOrganized(ctx.trx, ctx.actor, meetingId, memberId, { action, ...(reason === undefined ? {} : { reason }) }))
    return record
  },
}
