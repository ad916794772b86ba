import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify'
import { createRequire } from 'node:module'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'

/*
 * Every route's schemas are compiled on the route's first request, not at start: compiling all of
 * them (ajv for input, fast-json-stringify for answers) was most of a start's CPU once the server
 * was bundled (issue 17: `npm start` to first 200 in a second). A route's first call pays a few
 * milliseconds once; a broken schema still fails that route's tests.
 */

interface Validate { (data: unknown): boolean | Promise<unknown>, errors?: unknown }

/** A validator that compiles itself on its first call and keeps `errors` where Fastify reads them. */
function lazyValidator(compile: () => Validate): Validate {
  let compiled: Validate | undefined
  const validate: Validate = (data) => {
    compiled ??= compile()
    const result = compiled(data)
    validate.errors = compiled.errors
    return result
  }
  return validate
}

function makeAjv(coerceTypes: boolean | 'array') {
  // verbose: each error carries the refused value, so the error handler can say why a text was refused.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false, verbose: true })
  ;(addFormats.default ?? addFormats)(ajv as never)
  return ajv
}

/**
 * Query strings, params and headers arrive as text, so they are coerced ("2" → 2). JSON bodies
 * are not: `{ "name": 5 }` or `"active": "false"` is a mistake the sender must hear about (400),
 * not something to reinterpret.
 */
export function validatorCompiler(): FastifySchemaCompiler<any> {
  const coercing = makeAjv('array')
  const strict = makeAjv(false)
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing
    return lazyValidator(() => ajv.compile(schema as object) as Validate) as ReturnType<FastifySchemaCompiler<any>>
  }
}

type Serialize = (data: unknown) => string
type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: unknown) => Serialize

/**
 * Fastify's own answer serializers (fast-json-stringify, from Fastify's dependencies so its version
 * always matches), each compiled on its first answer.
 */
export function lazySerializers(): NonNullable<FastifyServerOptions['schemaController']> {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'))
  const selector = fromFastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => SerializerFactory }
  const build = selector.SerializerSelector()
  return {
    compilersFactory: {
      buildSerializer: ((externalSchemas: unknown, options: unknown) => {
        const compile = build(externalSchemas, options)
        return (route: unknown) => {
          let compiled: Serialize | undefined
          return (data: unknown) => (compiled ??= compile(route))(data)
        }
      }) as never,
    },
  }
}
