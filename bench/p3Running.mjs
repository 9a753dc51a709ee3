/**
 * P3b, enqueue while running (issue 24): one instance (`node dist/src/main.js`, CONCURRENCY 10)
 * accepts `POST /v1/jobs` from autocannon (c=64, 30 s by default, `--p3b-duration`) and runs every job
 * it accepts. Its accepted rate is held against the bound the same run measures, 1 / (1/enqueue +
 * 1/drain): enqueue alone (the same load on an instance serving another queue) and drain alone (P1's
 * jobs enqueued first, then drained by a fresh instance, first start → last finish). The backlog is
 * what is unfinished when the load stops: queued, and claimed (running) but not finished, and how
 * many seconds of work that is at the drain-alone rate.
 */
import { admin, cannonFigures, log, median, mintToken, startServiceProcess, stop } from './harness.mjs'
import { drainWindow, waitFinished } from './drainWindow.mjs'

export async function p3Running(ctx) {
  const { results, runs, jobs, smoke, args, urls, reset, child, cannonMeasured } = ctx
  const seconds = Number(args['p3b-duration'] ?? (smoke ? 2 : 30))
  const figure = (results.figures.P3b = { enqueue: [], drain: [], both: [] })
  const token = await mintToken()
  const headers = { authorization: `Bearer ${token}` }
  const env = { DATABASE_URL: urls.ours, CONCURRENCY: '10' }
  const accepted = (result) => result['2xx'] / result.duration

  for (let run = 0; run < runs; run++) {
    await reset('ours')
    const enqueuer = await startServiceProcess({ ...env, QUEUES: 'nobody' })
    const alone = await cannonMeasured(enqueuer.url, headers, enqueuer.proc.pid, seconds)
    await stop(enqueuer.proc)
    const enqueue = cannonFigures(alone.result, { acceptedPerSec: accepted(alone.result), ...alone.cpu })
    figure.enqueue.push(enqueue)

    await reset('ours')
    await child('ours', 'enqueue', { databaseUrl: urls.ours, jobs })
    const drainer = await startServiceProcess(env)
    const wait = await waitFinished(urls.ours, jobs)
    await stop(drainer.proc, 'SIGTERM')
    if (wait.timedOut) throw new Error(`P3b: the drain alone finished ${wait.finished} of ${jobs}`)
    const { jobsPerSec, elapsedMs } = await drainWindow(urls.ours)
    figure.drain.push({ jobsPerSec, elapsedMs })

    await reset('ours')
    const service = await startServiceProcess(env)
    const loaded = await cannonMeasured(service.url, headers, service.proc.pid, seconds)
    const [left] = (
      await admin(
        (c) =>
          c.query(`select count(*) filter (where state = 'queued')::int as queued,
                          count(*) filter (where state = 'running')::int as running,
                          count(*) filter (where finished_at is not null)::int as finished
                   from job_runner_jobs`),
        urls.ours,
      )
    ).rows
    await stop(service.proc)
    const bound = 1 / (1 / enqueue.acceptedPerSec + 1 / jobsPerSec)
    const both = cannonFigures(loaded.result, {
      acceptedPerSec: accepted(loaded.result),
      ...loaded.cpu,
      ...left,
      finishedPerSec: left.finished / loaded.result.duration,
      boundPerSec: bound,
      ratioToBound: accepted(loaded.result) / bound,
      backlogSeconds: (left.queued + left.running) / jobsPerSec,
    })
    figure.both.push(both)
    log(
      'P3b',
      `run ${run + 1}`,
      `enqueue alone ${enqueue.acceptedPerSec.toFixed(0)}/s, drain alone ${jobsPerSec.toFixed(0)}/s → bound ${bound.toFixed(0)}/s;`,
      `both ${both.acceptedPerSec.toFixed(0)}/s (÷ bound ${both.ratioToBound.toFixed(2)}), p99 ${both.p99Ms} ms,`,
      `finished ${both.finishedPerSec.toFixed(0)}/s, backlog ${left.queued} queued + ${left.running} claimed = ${both.backlogSeconds.toFixed(2)} s of work`,
    )
  }
}

export function summarizeP3b({ enqueue, drain, both }) {
  const fmt = (x, d = 0) => (typeof x !== 'number' || Number.isNaN(x) ? '–' : x.toFixed(d))
  const cell = (xs, d = 0) => `${fmt(median(xs), d)} (${xs.map((x) => fmt(x, d)).join(', ')})`
  return [
    '### P3b enqueue while running: one instance accepts (c=64) and runs every job',
    '',
    '| measure | median (runs) |',
    '|---|---|',
    `| enqueue alone, accepted/s | ${cell(enqueue.map((r) => r.acceptedPerSec))} |`,
    `| drain alone, jobs/s | ${cell(drain.map((r) => r.jobsPerSec))} |`,
    `| bound 1/(1/enqueue + 1/drain), /s | ${cell(both.map((r) => r.boundPerSec))} |`,
    `| both: accepted/s | ${cell(both.map((r) => r.acceptedPerSec))} |`,
    `| both: accepted ÷ bound (target ≥ 0.9) | ${cell(
      both.map((r) => r.ratioToBound),
      2,
    )} |`,
    `| both: p99 ms | ${cell(both.map((r) => r.p99Ms))} |`,
    `| both: finished/s during the load | ${cell(both.map((r) => r.finishedPerSec))} |`,
    `| backlog at the end: queued | ${cell(both.map((r) => r.queued))} |`,
    `| backlog at the end: claimed, unfinished | ${cell(both.map((r) => r.running))} |`,
    `| backlog in seconds of work at the drain rate (target < 1) | ${cell(
      both.map((r) => r.backlogSeconds),
      2,
    )} |`,
    '',
  ]
}
