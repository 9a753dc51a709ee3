/**
 * Starts on the instance that accepts a job (the transition table's `start here` row): an enqueue
 * that finds this instance with places to spare inserts those of its jobs the runner may take as
 * already claimed by it — `running`, leased here, the attempt counted — and hands them to the runner,
 * as a claim would. The job is written once instead of twice (inserted queued, then updated by a
 * claim, its queued row entered into three claim indexes only to leave them), and it starts without
 * a claim's round trip.
 *
 * The runner reserves places only when its last claim found its queues empty and no wake-up came
 * since (src/runner/generation.ts, `reserveStarts`): a new job must not pass older ones that wait,
 * so a queue with a backlog goes through the claim, in claim order.
 */
import type { ClaimedJob, NewJob } from '../queue/store.js'

export interface LocalStarts {
  /** Picks which of `jobs` may start here at once and holds their places; undefined when none may. */
  reserveStarts(jobs: readonly NewJob[]): StartReservation | undefined
}

export interface StartReservation {
  /** The lease the jobs are inserted under: the runner generation's id and its lease length. */
  readonly instanceId: string
  readonly leaseMs: number
  /** Per job of the enqueue, in order: whether to insert it claimed here. */
  readonly starts: readonly boolean[]
  /** The insert committed: these jobs, inserted claimed here, go to the runner. Frees the places held. */
  accept(jobs: readonly ClaimedJob[]): void
  /**
   * The insert failed (or was never made). Frees the places held. An insert whose answer was lost may
   * have committed all the same: the runner's lease renewals then look for its jobs
   * (src/runner/strayLeases.ts).
   */
  cancel(): void
}
