/**
 * A smoke run of the benchmark harness (bench/run.mjs): a few hundred jobs through job-runner and
 * a peer (graphile-worker), a few latency samples, a second of HTTP enqueue through every P3 route
 * (`--p3-steps`), a few cancels across two instances (P4) and a tiny queue-depth comparison with the
 * claim's plan (P9), so the harness keeps working as the service changes; then issue 24's figures in
 * their smoke sizes (P1bb black box, P3users, P3b, P11 with 1 and 2 instances, idle, P7bb on the
 * embedded database, P8features with its event stream, logs and schedule). No timing is
 * asserted — only that every system drained every job, that every 2xx enqueue was stored, and that
 * the figures came back. It takes a minute or two, so `npm run soak` runs it, not `npm test`. Needs PostgreSQL
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the harness's JSON, read field by field
type Figures = Record<string, Record<string, any>>

/** Runs bench/run.mjs in its smoke mode with `args` and returns the figures it printed. */
async function smokeRun(args: string[]): Promise<Figures> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['bench/run.mjs', '--smoke', ...args, '--db-prefix', `bench_smoke_${randomBytes(4).toString('hex')}`, '--json'],
    { cwd: projectRoot(), env: { ...process.env, BENCH_DATABASE_URL: databaseUrl! }, maxBuffer: 16 * 1024 * 1024 },
  )
  const line = stdout.split('\n').find((l) => l.startsWith('JSON '))
  assert.ok(line, 'the harness printed its results')
  return (JSON.parse(line.slice(5)) as { figures: Figures }).figures
}

describeOrSkip('benchmark harness (smoke)', { skip, timeout: 120_000 }, () => {
  it('drains every job with job-runner and its peers and measures latency', { timeout: 90_000 }, async () => {
    const figures = await smokeRun([
      '--only',
      'P1,P2,P3,P4,P9',
      '--p3-steps',
      '--peers',
      'graphile-tuned',
      '--jobs',
      '200',
      '--latency-jobs',
      '10',
    ])
    const drain = figures['P1 c=10']!
    assert.deepEqual(Object.keys(drain).sort(), ['graphile-tuned', 'ours'])
    for (const [config, runs] of Object.entries(drain)) {
      for (const run of runs) {
        assert.equal(run.completed, 200, `${config} drained every job`)
        assert.ok(run.jobsPerSec > 0)
      }
    }
    const latency = figures.P2!
    for (const config of ['ours', 'graphile-tuned']) {
      assert.ok(latency[config]![0]!.p50Ms! > 0, `${config} latency measured`)
    }
    const enqueue = figures.P3!
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
    const cancel = figures.P4!.ours![0]!
    assert.deepEqual(cancel.outcomes, { cancelled: cancel.cancels }, 'every cancel from B stopped its job on A')
    assert.ok(cancel.toAbortMs.p99 > 0)
    const depth = figures.P9!.ours![0]!
    assert.equal(depth.deepTable.finished, depth.finished)
    for (const side of ['empty', 'deep']) {
      assert.ok(depth.summary[side].claim50.p50 > 0, `${side}: claims measured`)
      assert.match(depth.plans[side], /Index Scan using job_runner_jobs_claim/, `${side}: the claim reads its index`)
    }
  })
})

describeOrSkip('benchmark harness, issue 24 figures (smoke)', { skip, timeout: 300_000 }, () => {
  it('runs the black box, the user-built endpoints, enqueue while running, scale-out and idle cost', async () => {
    const jobs = 200
    const figures = await smokeRun([
      '--only',
      'P1bb,P3users,P3b,P11,idle,P7bb,P8features',
      '--jobs',
      String(jobs),
      '--bb-configs',
      'ours-bb,graphile-bb,ours-svc-pre',
      '--p3b-duration',
      '1',
      '--idle-instances',
      '1',
      '--idle-seconds',
      '1',
      '--p7-jobs',
      String(jobs),
      '--flat-jobs',
      '2000',
    ])
    const blackBox = figures.P1bb!
    assert.deepEqual(Object.keys(blackBox), ['ours-bb', 'graphile-bb', 'ours-svc-pre'])
    for (const config of ['ours-bb', 'ours-svc-pre']) {
      assert.equal(blackBox[config][0].succeeded, jobs, `${config}: every job succeeded`)
      assert.ok(blackBox[config][0].lastFinishMs > blackBox[config][0].firstStartMs, `${config}: a drain window`)
    }
    assert.equal(blackBox['graphile-bb'][0].completed, jobs, 'graphile-worker ran every job')
    // The common runAt holds: nothing starts before it.
    assert.ok(blackBox['ours-bb'][0].startLagMs >= 0, 'ours started no job before its runAt')
    assert.ok(blackBox['graphile-bb'][0].startLagMs >= 0, 'graphile-worker started no job before its runAt')

    const users = figures.P3users!
    assert.deepEqual(Object.keys(users), [
      'ours',
      'hono-insert',
      'hono-insert-guarded',
      'user-graphile',
      'user-pgboss',
      'bare-hono',
    ])
    for (const [config, [run]] of Object.entries(users)) {
      assert.equal(run.non2xx, 0, `${config}: every request answered 2xx`)
      assert.ok(run.total > 0, `${config}: requests answered`)
      if (run.stored !== undefined)
        assert.ok(run.stored >= run.total, `${config}: ${run.stored} stored for ${run.total}`)
    }

    const [both] = figures.P3b!.both
    assert.ok(both.acceptedPerSec > 0 && both.boundPerSec > 0, 'P3b measured the load and its bound')
    assert.ok(figures.P3b!.drain[0].jobsPerSec > 0, 'P3b measured the drain alone')

    const scaleOut = figures.P11!
    assert.deepEqual(Object.keys(scaleOut), ['1', '2'])
    for (const [instances, [run]] of Object.entries(scaleOut)) {
      assert.equal(run.succeeded, jobs, `${instances} instance(s): every job succeeded`)
      assert.ok(
        run.notices.jobsAvailable?.notifications >= 1,
        `${instances} instance(s): the insert's wake-up was counted`,
      )
      assert.equal(run.deliveriesPerJob, run.notificationsPerJob * Number(instances))
    }
    assert.ok(figures.idle!['1'].commitsPerSec > 0, 'an idle instance commits something (its polls)')

    const [embedded] = figures.P7bb![String(jobs)]
    assert.equal(embedded.succeeded, jobs, 'P7bb: every job succeeded on the embedded database')
    assert.ok(embedded.startLagMs >= 0, 'P7bb: no job started before its runAt')
    assert.ok(embedded.restartMs.length > 0 && embedded.restartMs[0] > 0, 'P7bb: the restart was timed')

    const [features] = figures.P8features!.ours
    assert.equal(features.features.succeeded, 2000, 'P8features: every job succeeded')
    assert.ok(features.features.logLines >= 2000, 'P8features: every job stored its log line')
    assert.ok(features.features.streamConnections >= 1, 'P8features: the event stream was open')
    assert.ok(features.samples.length > 0, 'P8features: memory was sampled')
  })
})
