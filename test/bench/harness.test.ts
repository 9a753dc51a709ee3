/**
 * A smoke run of the benchmark harness (bench/run.mjs): a few hundred jobs through job-runner and
 * a peer (graphile-worker), a few latency samples, a second of HTTP enqueue through every P3 route
 * (`--p3-steps`), a few cancels across two instances (P4) and a tiny queue-depth comparison with the
 * claim's plan (P9), so the harness keeps working as the service changes. No timing is asserted —
 * only that every system drained every job, that every 2xx enqueue was stored, and that the figures came back.
 * It takes half a minute, so `npm run soak` runs it, not `npm test`. Needs PostgreSQL
 * (TEST_DATABASE_URL) and the bench's own dependencies (`npm install --prefix bench`); without either
 * it is skipped, saying which.
 */
import { it } from 'node:test'
import { describeOrSkip } from '../support/describeOrSkip.js'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { projectRoot } from '../../src/support/projectRoot.js'

const databaseUrl = process.env.TEST_DATABASE_URL
const benchInstalled = existsSync(path.join(projectRoot(), 'bench/node_modules/graphile-worker'))
const skip =
  process.env.SOAK !== 'long'
    ? 'the benchmark smoke runs in npm run soak (SOAK=long)'
    : !databaseUrl
      ? 'needs PostgreSQL: set TEST_DATABASE_URL'
      : !benchInstalled
        ? "needs the bench's dependencies: npm install --prefix bench"
        : false

interface DrainRun {
  jobs: number
  completed: number
  jobsPerSec: number
}

describeOrSkip('benchmark harness (smoke)', { skip, timeout: 60_000 }, () => {
  it('drains every job with job-runner and its peers and measures latency', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'bench/run.mjs',
        '--smoke',
        '--only',
        'P1,P2,P3,P4,P9',
        '--p3-steps',
        '--peers',
        'graphile-tuned',
        '--jobs',
        '200',
        '--latency-jobs',
        '10',
        '--db-prefix',
        `bench_smoke_${randomBytes(4).toString('hex')}`,
        '--json',
      ],
      { cwd: projectRoot(), env: { ...process.env, BENCH_DATABASE_URL: databaseUrl! }, maxBuffer: 16 * 1024 * 1024 },
    )
    const line = stdout.split('\n').find((l) => l.startsWith('JSON '))
    assert.ok(line, 'the harness printed its results')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the harness's JSON, read field by field below
    type Figure = DrainRun & { p50Ms?: number } & Record<string, any>
    const results = JSON.parse(line.slice(5)) as { figures: Record<string, Record<string, Figure[]>> }
    const drain = results.figures['P1 c=10']!
    assert.deepEqual(Object.keys(drain).sort(), ['graphile-tuned', 'ours'])
    for (const [config, runs] of Object.entries(drain)) {
      for (const run of runs) {
        assert.equal(run.completed, 200, `${config} drained every job`)
        assert.ok(run.jobsPerSec > 0)
      }
    }
    const latency = results.figures.P2!
    for (const config of ['ours', 'graphile-tuned']) {
      assert.ok(latency[config]![0]!.p50Ms! > 0, `${config} latency measured`)
    }
    const enqueue = results.figures.P3!
    assert.deepEqual(Object.keys(enqueue), [
      'ours',
      'hono-no-db',
      'hono-round-trip',
      'hono-async-commit',
      'hono-insert',
      'bare-hono',
    ])
    for (const [config, [run]] of Object.entries(enqueue)) {
      assert.equal(run!.non2xx, 0, `${config}: every request answered 2xx`)
      assert.ok(run!.total > 0, `${config}: requests answered`)
      // 202 means committed: a request still in flight when the second ends may be stored unanswered, never the reverse.
      if (run!.stored !== undefined)
        assert.ok(run!.stored >= run!.total, `${config}: ${run!.stored} stored for ${run!.total} answered`)
    }
    for (const config of ['ours', 'hono-insert'])
      assert.equal(typeof enqueue[config]![0]!.stored, 'number', `${config} counts what it stored`)
    const cancel = results.figures.P4!.ours![0]!
    assert.deepEqual(cancel.outcomes, { cancelled: cancel.cancels }, 'every cancel from B stopped its job on A')
    assert.ok(cancel.toAbortMs.p99 > 0)
    const depth = results.figures.P9!.ours![0]!
    assert.equal(depth.deepTable.finished, depth.finished)
    for (const side of ['empty', 'deep']) {
      assert.ok(depth.summary[side].claim50.p50 > 0, `${side}: claims measured`)
      assert.match(depth.plans[side], /Index Scan using job_runner_jobs_claim/, `${side}: the claim reads its index`)
    }
  })
})
