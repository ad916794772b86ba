import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { Type } from 'typebox'

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
      await sql`select 1`.execute(app.db)
      return { status: 'ok' as const, database: app.dbKind }
    }
    catch (err) {
      app.log.warn({ err }, 'health check: database unreachable')
      return reply.status(503).send({ status: 'unavailable' as const, database: app.dbKind })
    }
  })
}
