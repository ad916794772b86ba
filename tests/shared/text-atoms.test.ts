import { validatorCompiler } from '#server/plugins/validators'
import { Line, Text } from '#shared/schemas/common'
import { Compile } from 'typebox/compile'
import Value from 'typebox/value'
import { describe, expect, it } from 'vitest'

/* The same schema decides on the server (Ajv, body and query), on the phone before an op is queued
   (TypeBox Value) and in the server's op precheck (TypeBox Compile): all three must agree. */
const ajvBody = validatorCompiler()({ schema: Line(40, 1), httpPart: 'body', method: 'POST', url: '/' }) as unknown as (v: unknown) => boolean
const ajvQuery = validatorCompiler()({ schema: Text(40), httpPart: 'querystring', method: 'GET', url: '/' }) as unknown as (v: unknown) => boolean
const checkers = {
  'line (server)': (v: string) => ajvBody(v),
  'line (phone)': (v: string) => Value.Check(Line(40, 1), v),
  'line (op precheck)': (v: string) => Compile(Line(40, 1)).Check(v),
}
const textCheckers = {
  'text (server)': (v: string) => ajvQuery(v),
  'text (phone)': (v: string) => Value.Check(Text(40), v),
  'text (op precheck)': (v: string) => Compile(Text(40)).Check(v),
}

describe('one line of text (names, titles, login names)', () => {
  for (const [who, check] of Object.entries(checkers)) {
    it(`should accept Chinese, emoji and right-to-left text, and refuse NUL, controls, line breaks, lone surrogates and blanks: ${who}`, () => {
      for (const ok of ['第一党小组', '张三 Zhang', '😀👨‍👩‍👧', '\u202Eabc', 'a\uFFFFb', '\u3000张'])
        expect(check(ok), JSON.stringify(ok)).toBe(true)
      for (const bad of ['a\u0000b', '\u0000', 'a\tb', 'a\nb', 'a\u007Fb', 'a\u001Bb', 'a\uD800b', '\uDC00', '   ', '\u3000'])
        expect(check(bad), JSON.stringify(bad)).toBe(false)
    })
  }
})

describe('text that may run over several lines (notes, minutes, reasons)', () => {
  for (const [who, check] of Object.entries(textCheckers)) {
    it(`should accept line breaks, tabs and empty text but refuse NUL, other controls and lone surrogates: ${who}`, () => {
      for (const ok of ['', '学习了党章\n第二段\r\n\t缩进', '😀'])
        expect(check(ok), JSON.stringify(ok)).toBe(true)
      for (const bad of ['a\u0000b', 'a\u000Bb', 'a\u000Cb', 'a\u007Fb', 'x\uDBFF'])
        expect(check(bad), JSON.stringify(bad)).toBe(false)
    })
  }

  it('should refuse a long value with a NUL at its end quickly (no backtracking)', () => {
    const long = Text(200_000, 1)
    const started = performance.now()
    expect(Value.Check(long, `${'a '.repeat(99_999)}\u0000`)).toBe(false)
    expect(Value.Check(long, ' '.repeat(199_999))).toBe(false)
    expect(performance.now() - started).toBeLessThan(200)
  })
})
