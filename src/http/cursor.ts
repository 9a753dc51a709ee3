/**
 * The lists' keyset cursors: the position a page ended at (`before` or `after` an id), as base64url
 * JSON, opaque to callers. A cursor is refused (400) when it is longer than openapi.yaml's `maxLength`
 * of every cursor (none this service issues is), or when it does not decode to a position of the
 * list's own kind and form: any cursor this service did not make is refused the same way.
 *
 *   encodeCursor('after', '42')                          // 'eyJhZnRlciI6IjQyIn0'
 *   decodeCursor('eyJhZnRlciI6IjQyIn0', 'after', /^[0-9]+$/) // '42'
 */
import { HttpProblem } from './problem.js'

export const MAX_CURSOR_LENGTH = 200

export type CursorSide = 'before' | 'after'

export function encodeCursor(side: CursorSide, id: string): string {
  return Buffer.from(JSON.stringify({ [side]: id })).toString('base64url')
}

/** The id of a cursor made by `encodeCursor(side, id)` whose id `form` accepts. */
export function decodeCursor(cursor: string, side: CursorSide, form: RegExp): string {
  if (cursor.length > MAX_CURSOR_LENGTH) {
    throw new HttpProblem('invalid-parameter', `cursor must be at most ${MAX_CURSOR_LENGTH} characters`)
  }
  try {
    const id = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>)[side]
    if (typeof id === 'string' && form.test(id)) return id
  } catch {
    // fall through: any cursor we did not make is refused the same way
  }
  throw new HttpProblem('invalid-parameter', 'cursor is not one this service issued; start again without it')
}
