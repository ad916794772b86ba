import { createHash } from 'node:crypto'
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
  /** The CSP source that lets the page's inline stylesheet apply (`'sha256-…'`), if it has one. */
  styleHash?: string
  html: Buffer
  br: Buffer
  gzip: Buffer
}

const CATCH_ALL = /^\/:\w+\(\.\*\)\*$/
/** The shell's own stylesheet as Vite links it in index.html. */
const SHELL_STYLESHEET = /<link rel="stylesheet" crossorigin href="(\/assets\/[\w.-]+\.css)">/
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

  /**
   * `readAsset` gives the text of a built file (`/assets/…`), undefined when it cannot be read: the
   * shell's own small stylesheet goes into the page, one request less before the first paint.
   */
  constructor(private readonly index: string, routes: RoutePreload[], private readonly readAsset: (path: string) => string | undefined = () => undefined) {
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
    const { text, styleHash } = this.inlineShellStylesheet(at < 0 ? this.index : `${this.index.slice(0, at)}${links.join('')}${this.index.slice(at)}`)
    const html = Buffer.from(text)
    return {
      route: route.path,
      ...(styleHash ? { styleHash } : {}),
      html,
      br: brotliCompressSync(html, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
      gzip: gzipSync(html, { level: 9 }),
    }
  }

  /**
   * The shell's theme (a few KB) written into the page instead of linked: the first paint waits
   * for one file less, and the login page makes one request less (issue 17). The service worker's
   * copy of index.html keeps the link (it is served from the phone). Left linked when the file
   * cannot be read or could end the <style> element early.
   */
  private inlineShellStylesheet(text: string): { text: string, styleHash?: string } {
    const link = SHELL_STYLESHEET.exec(text)
    const css = link ? this.readAsset(link[1]!) : undefined
    // A relative url() would resolve against the page's address, not the stylesheet's.
    if (!link || css === undefined || /<\/style/i.test(css) || /url\(\s*['"]?(?![/'"]|data:)/i.test(css))
      return { text }
    const styleHash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`
    return { text: text.replace(link[0], () => `<style>${css}</style>`), styleHash }
  }
}

/** A Content-Security-Policy that also lets one inline stylesheet apply (its hash in style-src). */
export function allowStyle(policy: string, hash: string): string {
  // style-src itself, not style-src-attr or style-src-elem.
  const directive = /((?:^|;)\s*style-src(?=[\s;]|$)[^;]*)/
  return directive.test(policy) ? policy.replace(directive, `$1 ${hash}`) : policy
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
