import type * as ExcelJSModule from 'exceljs'
import type { FastifyReply } from 'fastify'
import type { Readable, Writable } from 'node:stream'
import { PassThrough } from 'node:stream'

/*
 * Every .xlsx the server writes or reads goes through here. exceljs and what it pulls in (zip
 * writers and readers, about 600 modules) load on the first export or import, not at start: they
 * were a quarter of a second of every start (issue 17).
 */

export type ExcelJS = typeof ExcelJSModule
export type WorkbookWriter = ExcelJSModule.stream.xlsx.WorkbookWriter
export type Worksheet = ExcelJSModule.Worksheet
export type CellValue = ExcelJSModule.CellValue

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

let loading: Promise<ExcelJS> | undefined

/** exceljs, loaded once on first use. */
export function loadExcel(): Promise<ExcelJS> {
  loading ??= import('exceljs').then(m => m.default as unknown as ExcelJS)
  return loading
}

/**
 * Call between pages. Lets the zip writer compress what was committed (its work finishes in later
 * turns of the event loop, and SQLite's queries never give it one), then waits while the reply's
 * buffer is full: a fast writer holds about a page in memory, never the whole file. Throws once
 * the download was closed (the phone went away), which ends the writing.
 */
export async function drained(out: Writable): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
  if (!out.destroyed && out.writableNeedDrain) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done)
        out.off('close', done)
        resolve()
      }
      out.on('drain', done)
      out.on('close', done)
    })
  }
  if (out.destroyed)
    throw new Error('the download was closed before it ended')
}

/** Writes `write`'s workbook row by row into the stream returned; a failure while writing destroys the stream with it. */
export async function streamXlsx(write: (book: WorkbookWriter, out: Writable) => Promise<void>): Promise<Readable> {
  const ExcelJS = await loadExcel()
  const out = new PassThrough()
  // Shared strings would keep every distinct text in memory until the end; inline strings stream.
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  book.creator = '先锋'
  write(book, out).then(() => book.commit()).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)))
  })
  return out
}

/**
 * Sends an .xlsx written row by row into the reply as it is made (exceljs's streaming writer):
 * memory stays flat however many rows there are. Everything that can refuse (access, not found,
 * bad input) must have run before this: once the first bytes leave, the status is 200. A failure
 * while writing ends the download early (the phone sees a failed download, not a broken file
 * called a success) and is logged.
 *
 * `write` adds worksheets and rows (committing each row, `await drained(out)` between pages) and
 * commits each worksheet; the workbook is committed here.
 */
export async function sendXlsx(reply: FastifyReply, fileName: { ascii: string, display?: string }, write: (book: WorkbookWriter, out: Writable) => Promise<void>): Promise<FastifyReply> {
  const body = await streamXlsx(write)
  body.once('error', err => reply.log.error({ err }, 'xlsx export failed while streaming'))
  const disposition = fileName.display
    ? `attachment; filename="${fileName.ascii}"; filename*=UTF-8''${encodeURIComponent(fileName.display)}`
    : `attachment; filename="${fileName.ascii}"`
  return reply.header('content-type', XLSX_TYPE).header('content-disposition', disposition).send(body)
}
