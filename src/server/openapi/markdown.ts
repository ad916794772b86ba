import type { OpenAPIV3_1 } from 'openapi-types'
import type { RouteRole } from './plugin'

const ROLE_WORDS: Record<RouteRole, string> = {
  anyone: '任何人 anyone',
  member: '党员 member',
  group_leader: '组长 group leader',
  branch_admin: '支部管理员 branch admin',
  upper_admin: '上级党组织管理员 upper-organization admin',
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')

/** "`id`, `note`?" for an object schema: its fields, optional ones marked. */
function fields(schema: OpenAPIV3_1.SchemaObject | undefined): string {
  const properties = schema?.properties
  if (!properties)
    return '(see the schema)'
  const required = new Set(schema.required ?? [])
  return Object.keys(properties).map(k => `\`${k}\`${required.has(k) ? '' : '?'}`).join(', ')
}

/**
 * docs/api.md from the OpenAPI document: the rules every route follows, then each tag's routes,
 * one line each (method, path, who, summary), then the op types the push takes. Only the
 * document goes in, so the same document always gives the same bytes.
 */
export function apiMarkdown(doc: OpenAPIV3_1.Document): string {
  const out: string[] = [
    `# ${doc.info.title}`,
    '',
    '<!-- Written by `npm run docs:api` from the OpenAPI document; do not edit by hand. Summaries and',
    '     tags: src/server/openapi/routes.ts; who may call: the route\'s preHandler; shapes: its schema. -->',
    '',
    'The server describes itself: the OpenAPI 3.1 document at `/api/openapi.json`, browsable at',
    '`/api/docs` (request and answer shapes, status codes, descriptions). This page is its index.',
    '',
    doc.info.description ?? '',
  ]
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter(m => item?.[m]).map(m => ({ path, method: m.toUpperCase(), op: item![m]! })))

  for (const tag of doc.tags ?? []) {
    const title = (tag as { 'x-displayName'?: string })['x-displayName'] ?? tag.name
    const description = tag.description?.startsWith(`${title}: `) ? tag.description.slice(title.length + 2) : tag.description
    out.push('', `## ${title} (\`${tag.name}\`)`, '', description ?? '', '', '| method | path | who | summary |', '| --- | --- | --- | --- |')
    for (const { path, method, op } of operations.filter(o => o.op.tags?.includes(tag.name))) {
      const role = (op as { 'x-role'?: RouteRole })['x-role'] ?? 'anyone'
      out.push(`| ${method} | \`${path}\` | ${ROLE_WORDS[role]} | ${cell(op.summary ?? '')} |`)
    }
  }
  const untagged = operations.filter(o => !o.op.tags?.some(t => doc.tags?.some(tag => tag.name === t)))
  if (untagged.length) {
    out.push('', '## Undocumented', '', '| method | path |', '| --- | --- |')
    out.push(...untagged.map(o => `| ${o.method} | \`${o.path}\` |`))
  }

  const schemas = doc.components?.schemas ?? {}
  const ops = Object.entries(schemas).filter(([name]) => name.startsWith('Op.'))
  out.push(
    '',
    '## 离线操作 Sync ops',
    '',
    'What `POST /api/sync/push` takes in `ops[]`: `{opId, seq, type, payload, clientTime}` with one of these',
    'types and its payload (`?` = optional). Each is applied once, checked for role and scope by its',
    'handler (`src/server/sync/registry.ts`), and answered `applied`, `duplicate` or `rejected` on its own.',
    '',
    '| type | payload |',
    '| --- | --- |',
    ...ops.map(([name, schema]) => `| \`${name.slice(3)}\` | ${fields((schema as OpenAPIV3_1.SchemaObject).properties?.payload as OpenAPIV3_1.SchemaObject)} |`),
  )
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`
}
