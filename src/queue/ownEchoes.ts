/**
 * The notifications this instance sent and is about to hear again. PostgreSQL delivers a NOTIFY to
 * every listening session, the sender's own LISTEN connection included, but the notifier already
 * delivered the message here when it was published. Heard twice, a `jobsAvailable` rang the claim
 * loop twice: an idle runner made three claims per job, two of them empty (one for the echo, one
 * for the settle), each a statement and a commit, and garbage for the next scavenge.
 *
 * PostgreSQL's notification carries the sender's backend pid, but postgres.js does not pass it on,
 * so an echo is known by its exact channel and payload instead: each sent notification is counted
 * here before its statement goes out, and the first one heard with the same channel and payload is
 * dropped. Another instance's identical message may be dropped in its place; the own one, heard
 * then, is delivered instead, so what reaches the listeners is the same (every message is a hint).
 * A send that failed is forgotten again. The count is cleared when the LISTEN connection comes back
 * (echoes sent meanwhile were lost with it), and when it grows past `maxSize` (echoes that never
 * arrived): the cost of a wrong count is one wake-up, never a lost one past the next poll.
 */
export interface Notification {
  channel: string
  payload: string
}

const DEFAULT_MAX_SIZE = 10_000

export class OwnEchoes {
  private readonly expected = new Map<string, number>()

  constructor(private readonly maxSize = DEFAULT_MAX_SIZE) {}

  /** These notifications are about to be sent. */
  expect(sent: readonly Notification[]): void {
    if (this.expected.size + sent.length > this.maxSize) this.expected.clear()
    for (const { channel, payload } of sent) {
      const key = keyOf(channel, payload)
      this.expected.set(key, (this.expected.get(key) ?? 0) + 1)
    }
  }

  /** Their statement failed: none of them will be heard. */
  forget(sent: readonly Notification[]): void {
    for (const { channel, payload } of sent) this.take(channel, payload)
  }

  /** Whether this notification, just heard, is one of the own ones (counted off as heard). */
  take(channel: string, payload: string): boolean {
    const key = keyOf(channel, payload)
    const count = this.expected.get(key)
    if (count === undefined) return false
    if (count === 1) this.expected.delete(key)
    else this.expected.set(key, count - 1)
    return true
  }

  /** The LISTEN connection was lost and is back: echoes of what was sent meanwhile will not come. */
  clear(): void {
    this.expected.clear()
  }

  get size(): number {
    return this.expected.size
  }
}

/** A channel name holds no NUL, so the pair is unambiguous. */
const keyOf = (channel: string, payload: string): string => `${channel}\u0000${payload}`
