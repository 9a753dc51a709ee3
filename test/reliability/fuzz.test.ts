/**
 * Short mode of test/soak/fuzz.ts on every database: ~300 fast-check cases of malformed and hostile
 * requests on every route; never a 5xx, every error valid problem+json, the service keeps running.
 * `npm run soak` runs 10,000 cases and checks memory returns to its baseline. Replay with FUZZ_SEED=<seed>.
 */
import { describe, it } from 'node:test'
import { databaseTargets, onceSkip } from '../support/databases.js'
import type { TestService } from '../support/service.js'
import { runFuzz } from '../soak/fuzz.js'
import { suiteService } from '../support/suiteService.js'

for (const target of databaseTargets()) {
  const skip = onceSkip(target, 'input checks that run before the store')
  describe(`fuzzing the HTTP API (${target.name})`, { timeout: 120_000, skip }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started), { LOG_LEVEL: 'warn' })

    it('never a 5xx, every error is problem+json with a matching status, the service keeps running', async (t) => {
      const report = await runFuzz({ service, runs: 300 })
      t.diagnostic(JSON.stringify(report))
    })
  })
}
