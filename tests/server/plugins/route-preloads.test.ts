import { allowStyle, parseRoutePreloads, ShellPages } from '#server/plugins/route-preloads'
import { describe, expect, it } from 'vitest'

/* The shell's named files come from a file of the build: whatever it holds, the shell still goes out. */
const INDEX = '<!doctype html><html><head><title>先锋</title></head><body><div id="app"></div></body></html>'

describe('route-preloads.json as the server reads it', () => {
  it('should send the plain shell when the file is missing or damaged', () => {
    for (const text of [undefined, '', '{', 'null', '{"path":"/"}', '"x"'])
      expect(parseRoutePreloads(text), String(text)).toEqual([])
    const pages = new ShellPages(INDEX, parseRoutePreloads('{'))
    expect(pages.page('/points/log', true)).toBeUndefined()
  })

  it('should skip entries of the wrong shape and name only the build\'s own asset files', () => {
    const pages = new ShellPages(INDEX, [
      { path: 5, public: false, js: [], css: [] } as never,
      { path: '/me', public: false, js: ['/assets/MePage-1.js', '"><script>alert(1)</script>', 'https://cdn.example/x.js', '/assets/../../x.js'], css: ['/assets/MePage-1.css', 'javascript:x'] },
    ])
    const html = pages.page('/me', true)!.html.toString()
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/assets/MePage-1.js">')
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/assets/MePage-1.css">')
    expect(html).not.toContain('alert')
    expect(html).not.toContain('cdn.example')
    expect(html).not.toContain('..')
    expect(html).not.toContain('javascript:')
    // Links go in the head, the body as it was.
    expect(html.indexOf('MePage-1.css')).toBeLessThan(html.indexOf('</head>'))
    expect(html.endsWith('</head><body><div id="app"></div></body></html>')).toBe(true)
  })

  it('should build each route\'s page once', () => {
    const pages = new ShellPages(INDEX, [{ path: '/pledges/:id', public: false, js: ['/assets/PledgePage-1.js'], css: [] }])
    expect(pages.page('/pledges/a', true)).toBe(pages.page('/pledges/b', true))
    expect(pages.page('/pledges/a/b', true)).toBeUndefined()
  })
})

describe('the shell\'s own stylesheet in the page', () => {
  const linked = '<!doctype html><html><head><link rel="stylesheet" crossorigin href="/assets/index-1.css"></head><body></body></html>'
  const route = [{ path: '/', public: false, js: [], css: ['/assets/ui-1.css'] }]
  const page = (css: string | undefined) => new ShellPages(linked, route, path => path === '/assets/index-1.css' ? css : undefined).page('/', true)!

  it('should put it where the link was, before the screen\'s stylesheets, with the hash that allows it', () => {
    const p = page('body{margin:0}')
    const html = p.html.toString()
    expect(html).toContain('<head><style>body{margin:0}</style><link rel="stylesheet" crossorigin href="/assets/ui-1.css"></head>')
    expect(p.styleHash).toMatch(/^'sha256-[\w+/]+=*'$/)
  })

  it('should leave it linked when it cannot be read, could end the element early, or names files relative to itself', () => {
    for (const css of [undefined, 'a{content:"</style><script>x</script>"}', '@font-face{src:url(./font.woff2)}', '@font-face{src:url( "font.woff2")}']) {
      const p = page(css)
      expect(p.html.toString(), String(css)).toContain('href="/assets/index-1.css"')
      expect(p.styleHash).toBeUndefined()
    }
    expect(page('@font-face{src:url(/assets/font.woff2)}').styleHash).toBeDefined()
  })

  it('should add the hash to style-src only', () => {
    expect(allowStyle('default-src \'self\';style-src \'self\';img-src \'self\'', '\'sha256-x\'')).toBe('default-src \'self\';style-src \'self\' \'sha256-x\';img-src \'self\'')
    expect(allowStyle('default-src \'self\'', '\'sha256-x\'')).toBe('default-src \'self\'')
    expect(allowStyle('style-src-attr \'none\';style-src \'self\'', '\'sha256-x\'')).toBe('style-src-attr \'none\';style-src \'self\' \'sha256-x\'')
  })
})
