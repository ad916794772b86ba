import { writeFileSync } from 'node:fs'
import { apiDocument } from '../src/server/openapi/document'
import { apiMarkdown } from '../src/server/openapi/markdown'

/** Writes docs/api.md from the OpenAPI document; tests/server/openapi.test.ts fails while it is stale. */
const target = new URL('../docs/api.md', import.meta.url)
writeFileSync(target, apiMarkdown(await apiDocument()))
console.log(`Wrote ${target.pathname}`)
