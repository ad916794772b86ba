// @vitest-environment happy-dom
import type { RouteRecordRaw } from 'vue-router'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { routes } from '#app/router'
import { describe, expect, it } from 'vitest'
import { routeTable } from '../../scripts/route-table'

/*
 * The build lists each route's files for the server to name in index.html (route-preloads.json,
 * issue 17). It reads src/app/router.ts as text; this holds that reading to the router's own table,
 * so a route written in another shape fails here instead of quietly losing its preloads.
 */
// The project's root, where vitest runs (import.meta.url is not a file URL under happy-dom).
const source = readFileSync(resolve('src/app/router.ts'), 'utf8')

/** The router's routes with a component, children's paths joined to their parent's. */
function flatten(records: RouteRecordRaw[], parent = ''): { path: string, public: boolean, depth: number }[] {
  return records.flatMap((r) => {
    const path = r.path.startsWith('/') ? r.path : `${parent === '/' ? '' : parent}/${r.path}`
    const own = 'component' in r && r.component ? [{ path, public: r.meta?.public === true, depth: parent ? 2 : 1 }] : []
    // The layout route itself is not a screen: its children are.
    return r.children ? flatten(r.children, path) : own
  })
}

describe('the build\'s reading of the router', () => {
  it('should find every route with a component, its path, whether it is public and its layout', () => {
    const table = routeTable(source)
    const expected = flatten(routes)
    expect(expected.length).toBeGreaterThan(50)
    expect(table.map(r => r.path)).toEqual(expected.map(r => r.path))
    expect(table.map(r => r.public)).toEqual(expected.map(r => r.public))
    // A screen inside the member layout needs the layout's files too; one outside it does not.
    for (const [i, route] of table.entries())
      expect(route.modules.length, route.path).toBe(expected[i]!.depth)
    expect(table.find(r => r.path === '/points/log')?.modules).toEqual(['components/layout/LayoutMember.vue', 'pages/PointsLogPage.vue'])
    expect(table.find(r => r.path === '/login')).toEqual({ path: '/login', public: true, modules: ['pages/LoginPage.vue'] })
  })
})
