import type { FastifyInstance } from 'fastify'
import { PHOTO } from '#shared/photos/constants'
import { ErrorBody, IdParams } from '#shared/schemas/common'
import { Type } from 'typebox'
import { HttpError } from '../errors'
import { loadVisiblePhoto, photoTooLarge, savePhoto } from '../photos/store'
import { actorOf } from '../plugins/auth'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody }
const PhotoInfo = Type.Object({ id: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String() })

/**
 * Evidence photos: the phone uploads each one (raw image body, its own id) before pushing the op
 * that attaches it, and reads them back here. Nothing is written to local disk.
 */
export default async function photoRoutes(app: FastifyInstance) {
  // Raw bodies in this plugin only, read with our own limit so "too large" says so in words,
  // whatever Content-Type the phone sent: the bytes' signature decides, not the header.
  app.addContentTypeParser('*', (request, payload, done) => {
    if (Number(request.headers['content-length'] ?? 0) > PHOTO.maxBytes)
      return done(photoTooLarge(), undefined)
    const chunks: Buffer[] = []
    let size = 0
    let finished = false
    const finish = (err: Error | null, body?: Buffer) => {
      if (finished)
        return
      finished = true
      done(err, body)
    }
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > PHOTO.maxBytes) {
        chunks.length = 0
        finish(photoTooLarge())
      }
      else if (!finished) {
        chunks.push(chunk)
      }
    })
    payload.on('end', () => finish(null, Buffer.concat(chunks)))
    payload.on('error', err => finish(err))
  })

  app.put<{ Params: { id: string }, Body: unknown }>('/:id', {
    preHandler: app.authenticate,
    schema: { params: IdParams, response: { 200: PhotoInfo, 201: PhotoInfo, ...errors } },
  }, async (request, reply) => {
    const actor = actorOf(request)
    if (!Buffer.isBuffer(request.body))
      throw new HttpError(415, 'PHOTO_TYPE', '请以图片内容上传照片 Send the photo as the raw image body')
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
