import { openDatabase } from '#server/db/database'
import { migrateToLatest } from '#server/db/migrate'
import { migrations } from '#server/db/migrations'
import { Migrator } from 'kysely'
import { describe, expect, it } from 'vitest'

/*
 * Kysely runs migrations in name order and refuses a database that already ran a migration whose
 * name sorts AFTER one it has not run ("corrupted migrations"). So a migration added after a
 * release must sort after every migration that release shipped, or every deployment that upgrades
 * stops at start. RELEASED is what the last landed release shipped; add to it when a release lands.
 */
const RELEASED = [
  '2026_11_28_0001_foundation',
  '2026_11_28_0400_points',
  '2026_11_28_0500_meetings',
  '2026_11_28_0600_pledges',
  '2026_11_28_0700_photos',
  '2026_11_28_0810_sync_scope',
  '2026_12_02_1200_login_failure',
  '2026_12_02_1300_checkin_flag_reason',
  '2026_12_02_1500_retention',
  '2026_12_02_1700_pledge_source',
  '2026_12_03_0900_reviews',
  '2026_12_03_0910_appraisal_commendation',
  '2026_12_03_1200_group_review',
  '2026_12_03_1400_commendation_level',
  '2026_12_03_1500_checkin_keys',
  '2026_12_03_1700_member_joined_on',
  '2026_12_03_1800_upper_org',
  '2026_12_03_1810_change_log_scope',
  '2026_12_03_1820_branch_assessment',
  '2026_12_03_1900_upper_figures',
]
const LAST = [...RELEASED].sort().at(-1)!

describe('migrations after a release', () => {
  it('should all sort after the last released migration', () => {
    for (const name of RELEASED)
      expect(migrations[name], `${name} was released and must stay`).toBeDefined()
    for (const name of Object.keys(migrations).filter(n => !RELEASED.includes(n)))
      expect(name > LAST, `${name} sorts before ${LAST}`).toBe(true)
  })

  it('should upgrade a database the last release migrated', async () => {
    // Kysely's ordering rule is the same on both databases; an empty in-memory SQLite shows it.
    const handle = openDatabase('sqlite::memory:')
    try {
      const released = Object.fromEntries(Object.entries(migrations).filter(([n]) => RELEASED.includes(n)))
      const old = new Migrator({ db: handle.db, provider: { getMigrations: async () => released } })
      const first = await old.migrateToLatest()
      expect(first.error).toBeUndefined()
      const ran = await migrateToLatest(handle.db)
      expect(ran).toEqual(Object.keys(migrations).filter(n => !RELEASED.includes(n)).sort())
    }
    finally {
      await handle.db.destroy()
    }
  })
})
