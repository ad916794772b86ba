import type { FastifySchemaCompiler } from 'fastify'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'

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
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<any>>
  }
}
