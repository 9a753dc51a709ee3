/**
 * The claims a store makes, counted: its plain claim (`claimJobs`) and its limited claim
 * (`claimLimitedJobs`), each wrapped on this store alone. What the claim-loop tests count to show
 * which claims a notice or a settle runs. `restore()` gives the store its own methods back.
 *
 *   const claims = countClaims(engine.store)
 *   …
 *   assert.ok(claims.plain <= 2)
 *   claims.restore()
 */
import type { JobStore } from '../../src/queue/store.js'

export interface ClaimCounts {
  readonly plain: number
  readonly limited: number
  /** Resolves once the first plain claim counted here has its answer (or failed). */
  readonly firstPlainAnswered: Promise<void>
  /** Resolves with the jobs of the next limited claim to start after this call, once answered. */
  nextLimitedAnswer(): Promise<readonly unknown[]>
  restore(): void
}

export function countClaims(store: JobStore): ClaimCounts {
  const counts = { plain: 0, limited: 0 }
  const { claimJobs, claimLimitedJobs } = store
  let plainAnswered!: () => void
  const firstPlainAnswered = new Promise<void>((resolve) => (plainAnswered = resolve))
  store.claimJobs = async (...args) => {
    counts.plain++
    try {
      return await claimJobs.apply(store, args)
    } finally {
      plainAnswered()
    }
  }
  let limitedWaiters: ((jobs: readonly unknown[]) => void)[] = []
  store.claimLimitedJobs = async (...args) => {
    counts.limited++
    const waiters = limitedWaiters
    limitedWaiters = []
    const jobs = await claimLimitedJobs.apply(store, args)
    for (const resolve of waiters) resolve(jobs)
    return jobs
  }
  return {
    get plain() {
      return counts.plain
    },
    get limited() {
      return counts.limited
    },
    firstPlainAnswered,
    nextLimitedAnswer: () => new Promise((resolve) => limitedWaiters.push(resolve)),
    restore() {
      store.claimJobs = claimJobs
      store.claimLimitedJobs = claimLimitedJobs
    },
  }
}
