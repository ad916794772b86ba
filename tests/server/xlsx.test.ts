import { buffer } from 'node:stream/consumers'
import { drained, streamXlsx } from '#server/xlsx'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'

/* The streamed .xlsx (issue 17 point 4): what arrives opens with every row, and a download that
   is closed half-way stops the writing instead of leaving it waiting forever. */
describe('streamed workbooks', () => {
  it('should give a file that opens with every row written a page at a time', async () => {
    const body = await streamXlsx(async (book, out) => {
      const sheet = book.addWorksheet('记录')
      sheet.columns = [{ header: '姓名', key: 'name', width: 10 }, { header: '分值', key: 'points', width: 8 }]
      for (let page = 0; page < 20; page++) {
        for (let i = 0; i < 500; i++)
          sheet.addRow({ name: `党员${page * 500 + i}`, points: i % 7 }).commit()
        await drained(out)
      }
      sheet.commit()
    })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await buffer(body) as unknown as ArrayBuffer)
    const sheet = book.getWorksheet('记录')!
    expect(sheet.rowCount).toBe(10_001)
    expect(sheet.getRow(10_001).getCell(1).value).toBe('党员9999')
  })

  it('should stop writing when the download is closed before the end', async () => {
    let pages = 0
    let ended: (reason: string) => void = () => {}
    const finished = new Promise<string>(resolve => (ended = resolve))
    const body = await streamXlsx(async (book, out) => {
      const sheet = book.addWorksheet('记录')
      try {
        for (; pages < 1000; pages++) {
          for (let i = 0; i < 500; i++)
            sheet.addRow([`党员${pages}-${i}`, '参加志愿服务活动'.repeat(4), i]).commit()
          await drained(out)
        }
        ended('all written')
      }
      catch {
        ended('stopped')
      }
    })
    // Nobody reads: the buffer fills, the writer waits; then the phone goes away.
    await new Promise(r => setTimeout(r, 200))
    body.destroy()
    expect(await finished).toBe('stopped')
    expect(pages).toBeLessThan(1000)
  })
})
