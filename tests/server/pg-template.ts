import type { TestProject } from 'vitest/node'
import { randomBytes } from 'node:crypto'
import { openDatabase } from '#server/db/database'
import { migrateToLatest } from '#server/db/migrate'
import pg from 'pg'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PostgreSQL database each test database is copied from, or '' on SQLite. */
    pgTemplate: string
  }
}

/**
 * On PostgreSQL, migrating every test's fresh database costs about as much as creating it; the
 * server pass creates hundreds. This migrates one template per run, and freshDatabase copies it
 * (CREATE DATABASE … TEMPLATE), so each test still starts from an empty, fully migrated database.
 */
export default async function setup(project: TestProject) {
  const pgUrl = process.env.TEST_PG_URL
  if (!pgUrl) {
    project.provide('pgTemplate', '')
    return
  }
  const name = `xf_tmpl_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: pgUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(pgUrl)
  url.pathname = `/${name}`
  const handle = openDatabase(url.toString())
  await migrateToLatest(handle.db)
  // A template may have no open connection while it is copied.
  await handle.db.destroy()
  project.provide('pgTemplate', name)

  return async () => {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {})
    await admin.end()
  }
}
