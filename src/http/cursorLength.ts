/**
 * The bound on a list's `cursor` (openapi.yaml's `maxLength` of every one): no cursor this service
 * issues is longer, so a longer one is refused unread (400), whatever it would decode to.
 */
import { HttpProblem } from './problem.js'

export const MAX_CURSOR_LENGTH = 200

export function refuseLongCursor(cursor: string): void {
  if (cursor.length > MAX_CURSOR_LENGTH) {
    throw new HttpProblem('invalid-parameter', `cursor must be at most ${MAX_CURSOR_LENGTH} characters`)
  }
}
