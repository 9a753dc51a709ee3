/**
 * Strays: jobs leased to this runner generation that it never heard of. A claim, or an enqueue that
 * started its jobs here (src/runner/localStarts.ts), committed, and its answer was lost with the
 * connection; or the runner let go of an answer on an error that came after the commit (a limited
 * claim answered, and the plain claim after it failed); or a release of jobs it held failed. No code
 * of theirs ran here, so they go back to the queue with the attempt refunded (the `release` row),
 * instead of waiting for their lease to expire, which counts the attempt: with `maxAttempts` 1 such a
 * job would fail without ever running.
 *
 * Every one of those begins with a failure the runner sees (`noteFailure`), so only then do its lease
 * renewals look for jobs leased here that it did not name (`look`; the look reads every job leased in
 * the cluster, which an instance renewing every few seconds need not pay for nothing). They go on
 * looking until one finds no job to wonder about. A job found may also belong to a claim or an insert
 * whose answer is still on its way, so it is handed back only when two looks saw it, under the same
 * attempt, and every claim and insert that was in flight when the first of them answered has ended
 * since: whatever committed the job began before that answer, so by then it has handed the job over,
 * or lost it.
 */
import type { StrayLease } from '../queue/store.js'

interface Suspect {
  readonly attempt: number
  /** The claims and inserts in flight when the job was first seen. */
  readonly waitFor: readonly object[]
}

/** A claim or an insert that may lease jobs here, from its start until its jobs are handed over. */
export interface Acquisition {
  /** Its jobs are the runner's now (or it leased none). */
  handedOver(): void
  /** It failed: if it committed all the same, its jobs are strays (`noteFailure`). */
  failed(): void
}

/** One renewal's look: `sift` takes what it found. */
export interface StrayLook {
  /**
   * The leases the renewal found that the runner did not name, `known` telling which of them the
   * runner holds by now. Returns the strays, to hand back now.
   */
  sift(found: readonly StrayLease[], known: (id: string) => boolean): StrayLease[]
}

export class StrayLeases {
  private readonly inFlight = new Set<object>()
  private suspects = new Map<string, Suspect>()
  private failures = 0
  /** Failures up to this count were looked past: a look that began after them found nothing to wonder about. */
  private lookedPast = 0

  /** A claim or an insert that may lease jobs here begins. */
  acquiring(): Acquisition {
    const token = {}
    this.inFlight.add(token)
    return {
      handedOver: () => void this.inFlight.delete(token),
      failed: () => {
        this.inFlight.delete(token)
        this.noteFailure()
      },
    }
  }

  /** A claim or an insert failed, or a release of jobs held here: jobs may be leased here unknown. */
  noteFailure(): void {
    this.failures += 1
  }

  /** As a renewal begins: a look for strays, when one is due. */
  look(): StrayLook | undefined {
    if (this.failures === this.lookedPast && this.suspects.size === 0) return undefined
    const failuresBefore = this.failures
    return { sift: (found, known) => this.sift(found, known, failuresBefore) }
  }

  private sift(found: readonly StrayLease[], known: (id: string) => boolean, failuresBefore: number): StrayLease[] {
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
    // The strays handed back now go by a release, whose failure is noted in its turn.
    if (suspects.size === 0) this.lookedPast = Math.max(this.lookedPast, failuresBefore)
    return strays
  }
}
