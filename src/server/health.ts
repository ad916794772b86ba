import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { pingDatabase } from './db/database'

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/health', {
    schema: {
      response: {
        200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
        503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
      },
    },
  }, async (_request, reply) => {
    try {
      await pingDatabase(app.db)
      return { status: 'ok' as const, database: app.dbKind }
    }
    catch (err) {
      app.log.warn({ err }, 'health check: database unreachable')
      return reply.status(503).send({ status: 'unavailable' as const, database: app.dbKind })
    }
  })
}
