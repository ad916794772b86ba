import type { MinutesBody as MinutesBodyT } from '#shared/meetings/schemas'
import type { FastifyInstance } from 'fastify'
import { Meeting, MinutesBody } from '#shared/meetings/schemas'
import { PHOTO_OWNER, PHOTO_REJECT } from '#shared/photos/constants'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { writeAudit } from '../../audit/writer'
import { HttpError } from '../../errors'
import { attachPhotos } from '../../photos/store'
import { actorOf } from '../../plugins/auth'
import { OpRejection } from '../../sync/registry'
import { nowIso } from '../../util/clock'
import { publishMeeting, updateMeetingRow } from '../repository'
import { requireOrganized } from '../service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
const STATUS: Record<string, number> = { [PHOTO_REJECT.missing]: 400, [PHOTO_REJECT.notYours]: 403, [PHOTO_REJECT.inUse]: 409 }

/**
 * 会议记录: an organizer writes the minutes of a meeting and adds photos, online like the other
 * organizer screens. Whoever may open the meeting may read them and see the photos.
 */
export default async function meetingMinutesRoutes(app: FastifyInstance) {
  app.put<{ Params: { id: string }, Body: MinutesBodyT }>('/:id/minutes', {
    preHandler: app.requireRole('group_leader'),
    schema: { params: IdParams, body: MinutesBody, response: { 200: Meeting, ...errors } },
  }, async (request) => {
    const actor = actorOf(request)
    const { minutes, photoIds } = request.body
    try {
      return await app.db.transaction().execute(async (trx) => {
        const meeting = await requireOrganized(trx, actor, request.params.id)
        // Photos taken out of the minutes stop being shown to the meeting's members (attachPhotos).
        const ids = await attachPhotos(trx, actor, photoIds, { entity: PHOTO_OWNER.minutes, id: meeting.id })
        await updateMeetingRow(trx, meeting.id, { minutes: minutes.trim(), minutes_photo_ids: JSON.stringify(ids) }, nowIso())
        await writeAudit(trx, actor, { action: 'meeting.minutes', entity: 'meeting', entityId: meeting.id, data: { length: minutes.trim().length, photos: ids.length } })
        return publishMeeting(trx, meeting.id)
      })
    }
    catch (err) {
      if (err instanceof OpRejection)
        throw new HttpError(STATUS[err.code] ?? 400, err.code, err.message, {}, err.params)
      throw err
    }
  })
}
