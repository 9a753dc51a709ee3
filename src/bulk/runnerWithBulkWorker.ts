/**
 * The runner as the lifecycle drives it, with the bulk action worker beside it: a start (start-up,
 * a resume) starts both, a stop (a drain, a shutdown) stops both, within the same grace. A draining
 * instance takes no new work, and a bulk action is work: its lease goes back so that another
 * instance carries it on at once.
 */
import type { ControlledRunner } from '../lifecycle.js'
import type { Runner, StopReport } from '../runner/runner.js'
import { withTimeout } from '../support/withTimeout.js'
import type { BulkActionWorker } from './bulkActionWorker.js'

export function runnerWithBulkWorker(runner: Runner, worker: BulkActionWorker): ControlledRunner {
  /** Counts stops, so that a start can tell a stop came while the runner started (as `Runner.start` does). */
  let stopsAsked = 0
  return {
    async start() {
      const stopsBefore = stopsAsked
      await runner.start()
      if (stopsAsked === stopsBefore) worker.start()
    },
    async stop({ graceMs }): Promise<StopReport> {
      stopsAsked += 1
      // The worker's batch under way is one short transaction; a database that hangs is cut off
      // at the grace, and the lease it holds expires for another instance.
      const [report] = await Promise.all([
        runner.stop({ graceMs }),
        withTimeout(worker.stop(), graceMs).catch(() => {}),
      ])
      return report
    },
    get runningJobs() {
      return runner.runningJobs
    },
  }
}
