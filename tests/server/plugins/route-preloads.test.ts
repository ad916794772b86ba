import { parseRoutePreloads, ShellPages } from '#server/plugins/route-preloads'
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
