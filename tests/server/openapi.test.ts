import type { RouteRole } from '#server/openapi/plugin'
import type { OpenAPIV3_1 } from 'openapi-types'
import type { TestApp } from './helper'
import { readFileSync } from 'node:fs'
import { apiDocument } from '#server/openapi/document'
import { apiMarkdown } from '#server/openapi/markdown'
import { DOCS_PREFIX, OPENAPI_PATH, openApiPath } from '#server/openapi/plugin'
import { API_TAGS } from '#server/openapi/routes'
import { OP_DEFINITIONS } from '#shared/sync/op-types'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MATRIX } from './authz-matrix'
import { FEATURE_MATRIX } from './authz-matrix-features'
import { buildTestApp } from './helper'

type Operation = OpenAPIV3_1.OperationObject & { 'x-role'?: RouteRole }

let t: TestApp
let doc: OpenAPIV3_1.Document
beforeAll(async () => {
  t = await buildTestApp()
  doc = (await t.app.inject({ method: 'GET', url: OPENAPI_PATH })).json()
})
afterAll(async () => {
  await t.close()
})

function operation(route: string): Operation | undefined {
  const [method, url] = route.split(' ') as [string, string]
  return doc.paths?.[openApiPath(url)]?.[method.toLowerCase() as 'get'] as Operation | undefined
}

function operations() {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    (['get', 'put', 'post', 'patch', 'delete'] as const).filter(m => item?.[m]).map(m => ({ route: `${m.toUpperCase()} ${path}`, op: item![m] as Operation })))
}

describe('the OpenAPI document at /api/openapi.json', () => {
  it('should be a valid OpenAPI 3.1 document, served as JSON, the same one the viewer loads', async () => {
    const res = await t.app.inject({ method: 'GET', url: OPENAPI_PATH })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(doc.openapi).toBe('3.1.0')
    const result = await new Validator().validate(structuredClone(doc) as Parameters<Validator['validate']>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect((await t.app.inject({ method: 'GET', url: `${DOCS_PREFIX}/json` })).json()).toEqual(doc)
  })

  it('should describe every route the server registers, with its method, so a new route cannot be left out', () => {
    const registered = t.app.routeList()
    expect(registered.length).toBeGreaterThanOrEqual(69)
    expect(registered.filter(route => !operation(route)), 'registered routes missing from the document').toEqual([])
    // The document's own route is the one it has beyond the list (the viewer's files are hidden).
    expect(operations().map(o => o.route).filter(r => !registered.some(route => openApiPath(route) === openApiPath(r)))).toEqual([`GET ${OPENAPI_PATH}`])
  })

  it('should give every route a feature tag and a summary in Chinese and English, and name no route that is gone', () => {
    const tags = new Set(doc.tags?.map(tag => tag.name))
    for (const { route, op } of operations()) {
      expect(op.tags?.length, route).toBe(1)
      expect(tags.has(op.tags![0]!), `${route}: add it to src/server/openapi/routes.ts`).toBe(true)
      expect(op.summary, route).toMatch(/^\p{Script=Han}.*\s[A-Z][\w ]/u)
    }
    const documented = API_TAGS.flatMap(tag => Object.keys(tag.routes))
    expect(documented.filter((r, i) => documented.indexOf(r) !== i), 'routes listed twice').toEqual([])
    expect(documented.filter(r => !operation(r)), 'entries in src/server/openapi/routes.ts for routes that do not exist').toEqual([])
  })

  it('should say who may call each route as the authorization matrix finds it (session cookie, least role)', () => {
    expect(doc.components?.securitySchemes?.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'xf_session' })
    for (const c of [...MATRIX, ...FEATURE_MATRIX]) {
      const route = `${c.method} ${c.route}`
      const op = operation(route)!
      const role = op['x-role']
      expect(op.security, route).toEqual(role === 'anyone' ? [] : [{ session: [] }])
      if (role === 'anyone') {
        // A public route answers a stranger as it answers a member.
        expect(c.expect.anonymous, route).toBe(c.expect.member)
      }
      else {
        expect(c.expect.anonymous, route).toBe(401)
      }
      if (role === 'group_leader' || role === 'branch_admin')
        expect(c.expect.member, route).toBe(403)
      if (role === 'branch_admin')
        expect([c.expect.leaderOwn, c.expect.leaderOther], route).toEqual([403, 403])
    }
  })

  it('should ask for the CSRF header on every state-changing route and on no read', () => {
    for (const { route, op } of operations()) {
      const csrf = (op.parameters ?? []).some(p => '$ref' in p && p.$ref === '#/components/parameters/csrf')
      expect(csrf, route).toBe(!route.startsWith('GET '))
    }
  })

  it('should describe the push body\'s ops as one of the op types, each with its own payload schema', () => {
    const push = operation('POST /api/sync/push')!
    const body = (push.requestBody as OpenAPIV3_1.RequestBodyObject).content['application/json']!.schema as OpenAPIV3_1.SchemaObject
    const items = (body.properties!.ops as OpenAPIV3_1.ArraySchemaObject).items as OpenAPIV3_1.SchemaObject
    expect(Object.keys(items.discriminator!.mapping!)).toEqual(OP_DEFINITIONS.map(d => d.type))
    expect(items.oneOf).toHaveLength(OP_DEFINITIONS.length)
    for (const def of OP_DEFINITIONS) {
      const schema = doc.components!.schemas![`Op.${def.type}`]!
      expect(schema.properties!.type).toEqual({ const: def.type })
      expect(schema.properties!.payload).toEqual(JSON.parse(JSON.stringify(def.payload)))
    }
  })

  it('should keep docs/api.md what npm run docs:api writes now (run it after changing a route or op)', async () => {
    const written = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8')
    expect(written, 'docs/api.md is stale: run npm run docs:api').toBe(apiMarkdown(await apiDocument()))
    // One line per route, with its method, path and who may call it.
    for (const { route, op } of operations()) {
      const [method, path] = route.split(' ')
      expect(written, route).toContain(`| ${method} | \`${path}\` | `)
      expect(written).toContain(op.summary)
    }
  })
})

describe('the viewer at /api/docs', () => {
  it('should serve Swagger UI from this server only, its page loading no inline script or style, under the app\'s CSP', async () => {
    const res = await t.app.inject({ method: 'GET', url: DOCS_PREFIX })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain('script-src \'self\'')
    expect(csp).not.toContain('unsafe-inline')
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).headers['content-security-policy']).toBe(csp)

    const html = res.body
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i)
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThanOrEqual(3)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="/)
      expect(body!.trim()).toBe('')
    }
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(m => m[1]!)
    expect(assets.length).toBeGreaterThanOrEqual(5)
    for (const asset of assets) {
      expect(asset, 'same origin only').toMatch(/^\/api\/docs\//)
      const file = await t.app.inject({ method: 'GET', url: asset })
      expect(file.statusCode, asset).toBe(200)
      expect(file.headers['content-type'], asset).toMatch(/^(?:text\/css|application\/javascript|text\/javascript|image\/png)/)
    }
    // The initializer loads the document from here and sends nothing to the online validator.
    const init = (await t.app.inject({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-initializer.js` })).body
    expect(init).toContain('resolveUrl(\'./json\')')
    expect(init).toContain('validatorUrl: null')
    expect(init.split('\n').filter(line => !line.trim().startsWith('//')).join('\n')).not.toMatch(/https?:\/\//)
  })
})
