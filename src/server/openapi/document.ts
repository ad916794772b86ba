import type { OpenAPIV3_1 } from 'openapi-types'
import { buildApp } from '../app'
import { loadConfig } from '../config'
import { openDatabase } from '../db/database'

/**
 * The OpenAPI document as the server would serve it, without a server: the app is built on an
 * empty in-memory SQLite database (building it reads nothing from the database) and never
 * listens. For `npm run docs:api` and the test that keeps docs/api.md current.
 */
export async function apiDocument(): Promise<OpenAPIV3_1.Document> {
  const database = openDatabase('sqlite::memory:')
  const app = await buildApp({ config: loadConfig({ PORT: '0', DATABASE_URL: 'sqlite::memory:' }), database })
  try {
    await app.ready()
    return app.swagger() as OpenAPIV3_1.Document
  }
  finally {
    await app.close()
    await database.db.destroy()
  }
}
