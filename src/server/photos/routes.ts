import type { FastifyError, FastifyInstance } from 'fastify'
import { PHOTO, PHOTO_REJECT } from '#shared/photos/constants'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { Type } from 'typebox'
import { refusal } from '../errors'
import { actorOf } from '../plugins/auth'
import { loadVisiblePhoto, photoTooLarge, savePhoto } from './store'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody }
const PhotoInfo = Type.Object({ id: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String() })

/**
 * Evidence photos: the phone uploads each one (raw image body, its own id) before pushing the op
 * that attaches it, and reads them back here. Nothing is written to local disk.
 */
export default async function photoRoutes(app: FastifyInstance) {
  // Raw bodies in this plugin only, whatever Content-Type the phone sent: the bytes' signature
  // decides, not the header. Fastify enforces the limit (Content-Length first, then while reading);
  // its 413 is reworded here so "too large" names the photo limit, and the rest goes to the app's handler.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: PHOTO.maxBytes }, (_request, body, done) => done(null, body))
  app.setErrorHandler((err: FastifyError) => {
    throw err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? photoTooLarge() : err
  })

  app.put<{ Params: { id: string }, Body: unknown }>('/:id', {
    preHandler: app.authenticate,
    schema: { params: IdParams, response: { 200: PhotoInfo, 201: PhotoInfo, ...errors } },
  }, async (request, reply) => {
    const actor = actorOf(request)
    if (!Buffer.isBuffer(request.body))
      throw refusal(415, PHOTO_REJECT.type, 'PHOTO_RAW_BODY')
    const { created, photo } = await savePhoto(app.db, actor, request.params.id, request.body)
    return reply.status(created ? 201 : 200).send(photo)
  })

  app.get<{ Params: { id: string } }>('/:id', {
    preHandler: app.authenticate,
    schema: { params: IdParams, response: errors },
  }, async (request, reply) => {
    const photo = await loadVisiblePhoto(app.db, actorOf(request), request.params.id)
    // A photo never changes under its id (another body is 409), but only this session may see it.
    return reply
      .header('content-type', photo.mime)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(photo.bytes)
  })
}
