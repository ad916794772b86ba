import type { FastifyInstance } from 'fastify'
import type { OpenAPIV3_1 } from 'openapi-types'
import type { RouteDoc, TagDoc } from './routes'
import { LIMITS, SESSION } from '#shared/constants'
import { ErrorBody } from '#shared/schemas/common'
import { OP_DEFINITIONS } from '#shared/sync/op-types'
import { canonicalJson, Op, PushBody, REJECT } from '#shared/sync/protocol'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import pkg from '../../../package.json' with { type: 'json' }
import { requiredRole } from '../plugins/auth'
import { API_TAGS } from './routes'

export const OPENAPI_PATH = '/api/openapi.json'
export const DOCS_PREFIX = '/api/docs'

/** Who may call a route, as the document's `x-role` says it: the least role its preHandler demands. */
export type RouteRole = 'anyone' | 'member' | 'group_leader' | 'branch_admin' | 'upper_admin'

const WRITES = new Set(['post', 'put', 'patch', 'delete'])

/** The rules every route follows, once, at the top of the document (and of docs/api.md). */
const INTRO = `The API of 先锋 Xianfeng, the offline-first PWA of a Party branch. Everything is under \`/api\`, takes and
returns JSON unless a route says otherwise, and is validated against the TypeBox schemas in \`src/shared/\`
that the app imports for its types.

- **Session**: an HttpOnly \`${SESSION.cookie}\` cookie set by login, setup and invite accept (\`x-role\`
  on each operation: \`anyone\`, \`member\` = any logged-in member, \`group_leader\`, \`branch_admin\`; a
  higher role may do what a lower one may). In /api/docs, log in to the app in the same browser first:
  its cookie goes with "Try it out".
- **CSRF**: every POST, PUT, PATCH and DELETE must send \`${SESSION.csrfHeader}: 1\`, or it gets 403 \`CSRF\`.
- **Errors**: \`{ statusCode, code, error, message, params? }\`; \`message\` is bilingual (Chinese first)
  and can be shown as is. With \`params\`, \`code\` is one of the shared catalog's
  (\`src/shared/errors/catalog.ts\`, each feature's words in \`src/shared/<feature>/errors.ts\`): the app
  words it in the member's language from \`params\` (names, numbers, dates; \`wait\` in seconds), or words
  \`params.reason\`, a more precise catalog code, where \`code\` stays general (\`FORBIDDEN\`,
  \`RATE_LIMITED\`, \`ENTRY_NOT_PENDING\`, \`PLEDGE_DECIDED\`…). Refused sync ops carry the same. 400 \`VALIDATION\` (names the bad field; unknown fields are refused), 401 not
  logged in, 403 role too low, 404 not found, 409 conflict, 410 used or expired link, 413 body over
  ${LIMITS.bodyBytes / 1024 / 1024} MiB, 415 not JSON, 429 rate-limited (with \`Retry-After\`), 503 database unavailable.
- **Scope**: everything is limited to the caller's branch; a record of another branch answers 404,
  exactly like one that does not exist. A group leader acts on their own group.
- **Audit**: every change writes an \`audit_log\` row in the same transaction.
- **Offline writes** go through \`POST /api/sync/push\` as ops (see its body); the REST writes are the
  organizers' online screens.`

/** "/api/groups/:id" → "/api/groups/{id}", as OpenAPI names paths; a prefix's "/" route ("/api/groups/") without its slash. */
export function openApiPath(url: string): string {
  return url.replace(/(?<=.)\/$/, '').replace(/:(\w+)/g, '{$1}')
}

/** The push body as the phone really sends it: each op one of the listed op types with that type's payload. */
function pushBodyDocument(doc: OpenAPIV3_1.Document) {
  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
  const schemas = doc.components!.schemas!
  const mapping: Record<string, string> = {}
  for (const def of OP_DEFINITIONS) {
    const name = `Op.${def.type}`
    mapping[def.type] = `#/components/schemas/${name}`
    schemas[name] = clone({ ...Op, title: def.type, properties: { ...Op.properties, type: { const: def.type }, payload: def.payload } }) as OpenAPIV3_1.SchemaObject
  }
  const body = clone(PushBody) as OpenAPIV3_1.NonArraySchemaObject
  body.properties = {
    ...body.properties,
    ops: { ...clone(PushBody.properties.ops), items: { oneOf: Object.values(mapping).map($ref => ({ $ref })), discriminator: { propertyName: 'type', mapping } } } as OpenAPIV3_1.ArraySchemaObject,
  }
  body.description = `Rejection codes: ${Object.values(REJECT).map(c => `\`${c}\``).join(', ')}, and each handler's own.`
  return body
}

const binary = { type: 'string', format: 'binary' } as const

/** Said once for every route instead of @fastify/swagger's "Default Response". */
const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  201: '已创建 Created',
  400: '输入有误 Invalid input (`VALIDATION` or the route\'s own code)',
  401: '未登录 Not logged in',
  403: '无权限 Not allowed (role, scope or the CSRF header)',
  404: '不存在 Not found (or another branch\'s)',
  409: '冲突 Conflict with the current state',
  410: '链接已使用或过期 Link used or expired',
  413: '内容过大 Too large',
  415: '类型不支持 Unsupported content type',
  429: '请求过多 Too many requests (see Retry-After)',
  500: '服务器出错 Server error',
  503: '服务暂不可用 Database unavailable',
}
const ERROR_JSON = canonicalJson(ErrorBody)

/** What the route schemas cannot say: the CSRF header, the push ops, raw bodies and file answers. */
function finish(doc: OpenAPIV3_1.Document, docs: Map<string, RouteDoc>): OpenAPIV3_1.Document {
  // The error body, named once instead of inlined in nearly three hundred answers.
  doc.components!.schemas = { Error: JSON.parse(ERROR_JSON) as OpenAPIV3_1.SchemaObject, ...doc.components!.schemas }
  doc.components!.parameters = {
    csrf: { name: SESSION.csrfHeader, in: 'header', required: true, description: 'The CSRF guard: any state-changing call without it is refused (403 `CSRF`).', schema: { type: 'string', enum: ['1'] } },
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {}) as [string, OpenAPIV3_1.OperationObject][]) {
      if (WRITES.has(method))
        op.parameters = [{ $ref: '#/components/parameters/csrf' }, ...(op.parameters ?? [])]
      for (const [status, answer] of Object.entries(op.responses ?? {}) as [string, OpenAPIV3_1.ResponseObject][]) {
        if (answer.description === 'Default Response')
          answer.description = STATUS_TEXT[status] ?? status
        const json = answer.content?.['application/json']
        if (json?.schema && canonicalJson(json.schema) === ERROR_JSON)
          json.schema = { $ref: '#/components/schemas/Error' }
      }
      const routeDoc = docs.get(`${method.toUpperCase()} ${path}`)
      if (routeDoc?.rawBody)
        op.requestBody = { required: true, content: Object.fromEntries(routeDoc.rawBody.map(type => [type, { schema: binary }])) }
      if (routeDoc?.fileAnswer)
        op.responses = { ...op.responses, 200: { description: 'The file', content: Object.fromEntries(routeDoc.fileAnswer.map(type => [type, { schema: binary }])) } }
    }
  }
  const push = doc.paths?.['/api/sync/push']?.post
  if (push)
    // Object.assign: openapi-types' 3.1 operation intersects its body type with 3.0's, which has no `type: 'null'`.
    Object.assign(push, { requestBody: { required: true, content: { 'application/json': { schema: pushBodyDocument(doc) } } } })
  return doc
}

/**
 * The OpenAPI document of every route, built from the route schemas as they register (so it is
 * registered before the routes), served at /api/openapi.json, and a viewer at /api/docs.
 *
 * The viewer is Swagger UI from @fastify/swagger-ui, which ships swagger-ui-dist's files in the
 * package: everything is served from here, nothing from a CDN. It runs under the app's own CSP
 * (plugins/security-headers.ts) unchanged, with no exception for it: its page loads only
 * same-origin scripts and styles, its initializer is a file rather than an inline script, and
 * the online validator badge is off, so it calls nowhere but here. The one inline <style> it
 * would add is in the top bar's SVG logo, which the CSP blocks: BaseLayout leaves out the top bar
 * (a URL box for exploring other documents, which this page has no use for). tests/server/
 * openapi.test.ts checks the page and its files, tests/e2e/api-docs.test.ts the page in Chromium.
 *
 * Public, like the routes it describes: it says what the open-source code already says, and
 * every route still checks its caller.
 */
export default fp(async (app: FastifyInstance) => {
  const docs = new Map<string, RouteDoc>()
  const tagOf = new Map<string, TagDoc>()
  for (const tag of API_TAGS) {
    for (const [route, doc] of Object.entries(tag.routes)) {
      docs.set(route, doc)
      tagOf.set(route, tag)
    }
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '先锋 Xianfeng API', version: pkg.version, description: INTRO },
      tags: API_TAGS.map(t => ({ 'name': t.name, 'description': `${t.title}: ${t.description}`, 'x-displayName': t.title })),
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION.cookie, description: 'The session cookie that login, setup and invite accept set (HttpOnly, SameSite=Lax).' },
        },
      },
      security: [{ session: [] }],
    },
    transform: ({ schema, url, route }) => {
      if (schema?.hide)
        return { schema, url }
      const path = openApiPath(url)
      const key = `${[route.method].flat()[0]} ${path}`
      const role = requiredRole(route.preHandler)
      return {
        url: path,
        schema: {
          ...schema,
          // A route missing from openapi/routes.ts still shows, plainly marked (and fails the test).
          'tags': [tagOf.get(key)?.name ?? 'undocumented'],
          'summary': docs.get(key)?.summary ?? 'Undocumented: add it to src/server/openapi/routes.ts',
          ...(docs.get(key)?.description ? { description: docs.get(key)!.description } : {}),
          'security': role ? [{ session: [] }] : [],
          'x-role': (role ?? 'anyone') satisfies RouteRole,
        },
      }
    },
    transformObject: document => finish(('openapiObject' in document ? document.openapiObject : {}) as OpenAPIV3_1.Document, docs),
  })

  app.get(OPENAPI_PATH, {
    schema: { response: { 200: { type: 'object', additionalProperties: true, description: 'An OpenAPI 3.1 document' } } },
  }, async () => app.swagger())

  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    theme: { title: '先锋 Xianfeng API' },
    uiConfig: { layout: 'BaseLayout', deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0, displayRequestDuration: true, tryItOutEnabled: false },
    // No online validator badge: the page calls nothing but this server.
    validatorUrl: false,
  })
}, { name: 'openapi', dependencies: ['auth'] })
