/**
 * The claims a store makes, counted: its plain claim (`claimJobs`) and its limited claim
 * (`claimLimitedJobs`), each wrapped on this store alone. What the claim-loop tests count to show
 * which claims a notice or a settle runs; a test may also wait for the next plain claim to begin or
 * to be answered, or hold plain claims back. `restore()` gives the store its own methods back.
 *
 *   const claims = countClaims(engine.store)
 *   …
 *   assert.ok(claims.plain <= 2)
 *   claims.restore()
 */
import type { JobStore } from '../../src/queue/store.js'
import { replaceMethod } from './replaceMethod.js'

export interface ClaimCounts {
  readonly plain: number
  readonly limited: number
  /** Resolves once the first plain claim counted here has its answer (or failed). */
  readonly firstPlainAnswered: Promise<void>
  /** Resolves when the next plain claim begins. */
  nextPlainCall(): Promise<void>
  /** Resolves once the next plain claim to answer has answered (or failed) and its runner has read the answer. */
  nextPlainAnswer(): Promise<void>
  /** Plain claims from now on wait, before they reach the database, until the function returned is called. */
  holdPlain(): () => void
  /** Resolves with the jobs of the next limited claim to start after this call, once answered. */
  nextLimitedAnswer(): Promise<readonly unknown[]>
  restore(): void
}

export function countClaims(store: JobStore): ClaimCounts {
  const counts = { plain: 0, limited: 0 }
  let plainAnswered!: () => void
  const firstPlainAnswered = new Promise<void>((resolve) => (plainAnswered = resolve))
  const plainCallWaiters: (() => void)[] = []
  const plainAnswerWaiters: (() => void)[] = []
  let plainHold: Promise<void> | undefined
  const wakeAll = (waiters: (() => void)[]) => waiters.forEach((wake) => wake())
  const restorePlain = replaceMethod(store, 'claimJobs', (claimJobs) => async (params) => {
    counts.plain++
    wakeAll(plainCallWaiters.splice(0))
    try {
      await plainHold
      return await claimJobs(params)
    } finally {
      plainAnswered()
      // The runner reads the answer in a later microtask: its waiters, those that come meanwhile
      // included, wake after that.
      setImmediate(() => wakeAll(plainAnswerWaiters.splice(0)))
    }
  })
  let limitedWaiters: ((jobs: readonly unknown[]) => void)[] = []
  const restoreLimited = replaceMethod(store, 'claimLimitedJobs', (claimLimitedJobs) => async (params) => {
    counts.limited++
    const waiters = limitedWaiters
    limitedWaiters = []
    const jobs = await claimLimitedJobs(params)
    for (const resolve of waiters) resolve(jobs)
    return jobs
  })
  return {
    get plain() {
      return counts.plain
    },
    get limited() {
      return counts.limited
    },
    firstPlainAnswered,
    nextPlainCall: () => new Promise((resolve) => plainCallWaiters.push(resolve)),
    nextPlainAnswer: () => new Promise((resolve) => plainAnswerWaiters.push(resolve)),
    holdPlain() {
      let release!: () => void
      plainHold = new Promise((resolve) => (release = resolve))
      return () => {
        plainHold = undefined
        release()
      }
    },
    nextLimitedAnswer: () => new Promise((resolve) => limitedWaiters.push(resolve)),
    restore() {
      restorePlain()
      restoreLimited()
    },
  }
}
