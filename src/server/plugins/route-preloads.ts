import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib'

/** One client route's files besides the shell, as the build lists them (vite.config.ts, route-preloads.json). */
export interface RoutePreload {
  /** vue-router's path: `/points/log`, `/pledges/:id`, `/:pathMatch(.*)*`. */
  path: string
  /** Reachable without logging in. */
  public: boolean
  js: string[]
  css: string[]
}

/** index.html for one route, ready to send as the phone accepts it. */
export interface ShellPage {
  route: string
  html: Buffer
  br: Buffer
  gzip: Buffer
}

const CATCH_ALL = /^\/:\w+\(\.\*\)\*$/
/** Asset paths as the build writes them; anything else in the file is not named in a page. */
const ASSET = /^\/assets\/[\w.-]+\.(?:js|css)$/

function matcher(path: string): { test: (pathname: string) => boolean, params: number } {
  const segments = path.split('/').slice(1)
  const source = segments.map(s => s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/')
  const re = new RegExp(`^/${source}/?$`)
  return { test: pathname => re.test(pathname), params: segments.filter(s => s.startsWith(':')).length }
}

/**
 * The app shell (index.html) sent for a client route names the files that route's screen needs
 * (`<link rel="modulepreload">`, `<link rel="stylesheet">`), so a phone asks for them beside the
 * shell, not one round trip and the shell's start-up later (issue 17: first paint without waiting).
 * A members' screen on a phone with no session cookie is the login page, so it names the login
 * page's files instead. Vite's loader finds the links already there and asks for nothing twice.
 * One page per route, built and compressed once.
 */
export class ShellPages {
  private readonly routes: { route: RoutePreload, test: (pathname: string) => boolean, params: number }[]
  private readonly fallback: RoutePreload | undefined
  private readonly login: RoutePreload | undefined
  private readonly pages = new Map<string, ShellPage>()

  constructor(private readonly index: string, routes: RoutePreload[]) {
    const valid = routes.filter(r => typeof r.path === 'string' && Array.isArray(r.js) && Array.isArray(r.css))
    this.fallback = valid.find(r => CATCH_ALL.test(r.path))
    this.login = valid.find(r => r.path === '/login')
    this.routes = valid.filter(r => r !== this.fallback).map(route => ({ route, ...matcher(route.path) }))
  }

  /** The page for an address; undefined where the plain index.html is as good (no route known). */
  page(pathname: string, loggedIn: boolean): ShellPage | undefined {
    // vue-router prefers a route with fewer parameters (pledges/new before pledges/:id).
    const matched = this.routes.filter(r => r.test(pathname)).sort((a, b) => a.params - b.params)[0]?.route ?? this.fallback
    const route = matched && !matched.public && !loggedIn ? this.login : matched
    if (!route)
      return undefined
    let page = this.pages.get(route.path)
    if (!page) {
      page = this.render(route)
      this.pages.set(route.path, page)
    }
    return page
  }

  private render(route: RoutePreload): ShellPage {
    const links = [
      ...route.js.filter(f => ASSET.test(f)).map(f => `<link rel="modulepreload" crossorigin href="${f}">`),
      ...route.css.filter(f => ASSET.test(f)).map(f => `<link rel="stylesheet" crossorigin href="${f}">`),
    ]
    // After the shell's own stylesheet, so the theme still comes before Vant's sheet and the screens'.
    const at = this.index.lastIndexOf('</head>')
    const text = at < 0 ? this.index : `${this.index.slice(0, at)}${links.join('')}${this.index.slice(at)}`
    const html = Buffer.from(text)
    return {
      route: route.path,
      html,
      br: brotliCompressSync(html, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(html, { level: 9 }),
    }
  }
}

/** Reads route-preloads.json's text; a missing or damaged file means no preloads, never a failed start. */
export function parseRoutePreloads(text: string | undefined): RoutePreload[] {
  if (!text)
    return []
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value as RoutePreload[] : []
  }
  catch {
    return []
  }
}
