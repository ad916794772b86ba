import type { FastifyInstance } from 'fastify'
import type { Db, DbKind } from '../db/database'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    dbKind: DbKind
  }
}

/** The database is opened by the caller (server or test) and closed with the app. */
export default fp(async (app: FastifyInstance, opts: { db: Db, kind: DbKind }) => {
  app.decorate('db', opts.db)
  app.decorate('dbKind', opts.kind)
  app.addHook('onClose', async () => {
    await opts.db.destroy()
  })
}, { name: 'db' })
