/**
 * Strays: jobs leased to this runner generation that it never heard of. A claim, or an enqueue that
 * started its jobs here (src/runner/localStarts.ts), committed, and its answer was lost with the
 * connection; or the runner let go of an answer on an error that came after the commit (a limited
 * claim answered, and the plain claim after it failed). No code of theirs ran here, so they go back
 * to the queue with the attempt refunded (the `release` row), instead of waiting for their lease to
 * expire, which counts the attempt: with `maxAttempts` 1 such a job would fail without ever running.
 *
 * Every lease renewal reads the jobs leased here that the runner did not name (`renewLeases`). Such a
 * job may also belong to a claim or an insert whose answer is still on its way, so it is handed back
 * only when two renewals saw it, under the same attempt, and every claim and insert that was in
 * flight when the first of them answered has ended since. Whatever committed the job began before
 * that answer: by then it has handed the job over, or lost it.
 */
import type { StrayLease } from '../queue/store.js'

interface Suspect {
  readonly attempt: number
  /** The claims and inserts in flight when the job was first seen. */
  readonly waitFor: readonly object[]
}

export class StrayLeases {
  private readonly inFlight = new Set<object>()
  private suspects = new Map<string, Suspect>()

  /** A claim or an insert that may lease jobs here begins. Call what it returns once it has handed its jobs over, or failed. */
  acquiring(): () => void {
    const acquisition = {}
    this.inFlight.add(acquisition)
    return () => void this.inFlight.delete(acquisition)
  }

  /**
   * A renewal's answer: the leases it found that the runner did not name, `known` telling which of
   * them the runner holds by now. Returns the strays, to hand back now.
   */
  sift(found: readonly StrayLease[], known: (id: string) => boolean): StrayLease[] {
    const strays: StrayLease[] = []
    const suspects = new Map<string, Suspect>()
    let inFlight: readonly object[] | undefined
    for (const lease of found) {
      if (known(lease.id)) continue
      const earlier = this.suspects.get(lease.id)
      if (earlier?.attempt !== lease.attempt) {
        inFlight ??= [...this.inFlight]
        suspects.set(lease.id, { attempt: lease.attempt, waitFor: inFlight })
      } else if (earlier.waitFor.some((acquisition) => this.inFlight.has(acquisition))) {
        suspects.set(lease.id, earlier)
      } else {
        strays.push(lease)
      }
    }
    this.suspects = suspects
    return strays
  }
}
