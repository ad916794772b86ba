import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { LIMITS } from '../src/shared/constants'
import { hashPassword, PASSWORD_PARAMS } from '../src/server/auth/password'
import { loadConfig } from '../src/server/config'
import { openDatabase } from '../src/server/db/database'
import { migrateToLatest } from '../src/server/db/migrate'
import { loginTaken } from '../src/server/org/repository'
import { createUpperAdmin } from '../src/server/upper/accounts'

/**
 * `npm run upper-admin -- --org 机关工委 --name 王主任 --login jggw [--attach]`: makes the upper
 * organization (or finds it by name) and an admin of it, and prints the password to hand over
 * (XF_UPPER_PASSWORD sets it instead). --attach puts every branch with no upper organization yet
 * under it, for a single-branch install that joins one. Same DATABASE_URL as the server.
 */
const { values } = parseArgs({ options: { org: { type: 'string' }, name: { type: 'string' }, login: { type: 'string' }, attach: { type: 'boolean', default: false } } })
if (!values.org?.trim() || !values.name?.trim() || !values.login?.trim()) {
  console.error('Usage: npm run upper-admin -- --org <上级党组织名称> --name <管理员姓名> --login <登录名> [--attach]')
  process.exit(2)
}
const password = process.env.XF_UPPER_PASSWORD ?? randomBytes(12).toString('base64url')
if (password.length < LIMITS.passwordMin) {
  console.error(`XF_UPPER_PASSWORD must have at least ${LIMITS.passwordMin} characters.`)
  process.exit(2)
}
const config = loadConfig()
const { db } = openDatabase(config.databaseUrl)
try {
  await migrateToLatest(db)
  const login = values.login.trim().toLowerCase()
  if (await loginTaken(db, login)) {
    console.error(`The login ${login} is taken (by a member or an upper admin); choose another.`)
    process.exitCode = 1
  }
  else {
    const hash = await hashPassword(password, PASSWORD_PARAMS)
    const { upperOrgId, attached } = await createUpperAdmin(db, { orgName: values.org.trim(), name: values.name.trim(), login, passwordHash: hash, attach: values.attach })
    console.log(`上级党组织「${values.org.trim()}」(${upperOrgId})
  管理员 ${values.name.trim()}: login ${login}   password ${process.env.XF_UPPER_PASSWORD ? '(XF_UPPER_PASSWORD)' : password}
  ${attached ? `${attached} existing branch(es) now under it.` : 'No branch under it yet: log in and 新建支部 to make one and send its setup link.'}`)
  }
}
finally {
  await db.destroy()
}
