/*
 * Used by vite.config.ts at build time (route-preloads.json): which components each client route
 * shows, read from src/app/router.ts. Kept apart from vite.config.ts so a test can hold it to the
 * router's own table in a browser-like environment (tests/app/route-preloads.test.ts).
 */
/** One client route as the server needs it to name the route's files in index.html (route-preloads.json). */
export interface RouteFiles {
  /** vue-router's path, children joined to their parent's: `/points/log`, `/pledges/:id`. */
  path: string
  /** Reachable without logging in (meta.public). */
  public: boolean
  /** The route's components (layout first), relative to src/app. */
  modules: string[]
}

const ROUTE_LINE = /\{ path: '([^']*)',[^\n]*?component: \(\) => import\('\.\/([^']+)'\)[^\n]*/g
const LAYOUT_ROUTE = /\{\s*path: '\/',\s*component: \(\) => import\('\.\/([^']+)'\)/

/**
 * The routes of src/app/router.ts, read from its source: one route a line, `component: () =>
 * import('./…')` on it; a child's path (no leading slash) is joined to the member layout's
 * (path '/'). tests/app/route-preloads.test.ts checks this reading against the router's own table,
 * so a route written another way fails there rather than going without its preloads.
 */
export function routeTable(source: string): RouteFiles[] {
  const layout = LAYOUT_ROUTE.exec(source)?.[1]
  return [...source.matchAll(ROUTE_LINE)].map(([line, path, module]) => path!.startsWith('/')
    ? { path: path!, public: line.includes('public: true'), modules: [module!] }
    : { path: `/${path}`, public: false, modules: layout ? [layout, module!] : [module!] })
}
