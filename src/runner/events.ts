/**
 * The runner's typed lifecycle events. Logs, metrics and tests all listen here; tests wait for an
 * event instead of sleeping.
 */
import { EventEmitter } from 'node:events'
import type { OwnedJob } from '../queue/job.js'

export type JobOutcome =
  'succeeded' | 'retry' | 'failed' | 'cancelled' | 'interrupted' | 'paused' | 'yielded' | 'abandoned' | 'lost'

export interface RunnerEvents {
  /** A claim brought `jobs`; `waiting` are now in the local queue (before free slots take theirs). */
  'jobs:claimed': { jobs: readonly OwnedJob[]; waiting: number }
  /** `startedAt`: when its code started, ms since the epoch on this instance's clock. */
  'job:start': { job: OwnedJob; startedAt: number }
  /**
   * The outcome is written (or, for `abandoned` and `lost`, given up on). `abandoned`: the run ignored
   * its token until its grace deadline (at a stop, or past its timeout), and its job went back to the
   * queue; on the job's last attempt it is `failed`, as an interruption past maxInterruptions is, so
   * that every job that ends failed is reported `failed`.
   *
   * `ranMs`: how long its code ran here, from its start to its return (or to its abandonment), the
   * outcome's write not counted; absent for a job that settled without starting here (cancelled or
   * paused while it waited).
   */
  'job:settled': { job: OwnedJob; outcome: JobOutcome; error?: Error; ranMs?: number }
  'job:checkpoint': { ids: readonly string[] }
  /** `forgotten`: of those, the jobs that waited in this instance's local queue under the lost lease. */
  'leases:recovered': { ids: readonly string[]; forgotten: readonly string[] }
  /** Queued jobs not started by their `expiresAt`, now `expired` (the expiry sweep). */
  'jobs:expired': { jobs: readonly { id: string; type: string; queue: string }[] }
  'runner:error': { error: Error; during: string }
}

export class TypedEmitter<Events extends object> {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void {
    this.emitter.on(event, listener)
    return () => this.emitter.off(event, listener)
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload)
  }

  /** Resolves with the first `event` whose payload satisfies `predicate`; register before you cause it. */
  waitFor<K extends keyof Events & string>(
    event: K,
    predicate: (payload: Events[K]) => boolean = () => true,
    { signal }: { signal?: AbortSignal } = {},
  ): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        off()
        reject(signal?.reason)
      }
      const off = this.on(event, (payload) => {
        if (!predicate(payload)) return
        off()
        signal?.removeEventListener('abort', onAbort)
        resolve(payload)
      })
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}
