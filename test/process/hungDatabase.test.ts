/**
 * A database that stops answering mid-conversation, then a SIGTERM: the process must still exit
 * inside its grace budget, by its own shutdown and not by the guard that ends a shutdown overrunning
 * it (src/lifecycle.ts). Every connection of the server goes through a TCP proxy that freezes them
 * where they stand (test/soak/tcpProxy.ts): open, nothing passing either way, as a database host that
 * froze or a firewall that started dropping would leave them. Queries then wait for answers that never
 * come, which no timeout of the driver ends: the shutdown's helpers (the notifier's unlistens, the
 * pause board's read) must be bounded by the budget (`closeResources` in src/service.ts). Before that
 * bound, this exit came from the guard, with exit code 1, after the whole budget. A job that never
 * looks at its token is abandoned at the deadline, and its requeue, waiting on the frozen database,
 * is cut short: a warning, like every other failure the stop gave up waiting for. (It was logged as an
 * error: on a loaded CI machine the `count` job, alone here then, was abandoned, and this test failed.)
 *
 * PostgreSQL only: PGlite runs in the process, with no connection to freeze.
 */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { describeOrSkip } from '../support/describeOrSkip.js'
import { postgresOnly, skipWithoutPostgres, type TestDatabase } from '../support/databases.js'
import { enqueueJob, processFixture, waitForJob, EXIT_MARGIN_MS } from '../support/process.js'
import { startTcpProxy, type TcpProxy } from '../soak/tcpProxy.js'

const GRACE_SECONDS = 3
const GUARD_MESSAGE = 'shutdown did not finish inside the grace budget: exiting now'
const HELPERS_GAVE_UP = 'shutdown: a helper did not stop in time; closing the database anyway'
const ABANDONED =
  'job ignored its shutdown token until the grace deadline: abandoning it, writing its checkpoint and requeueing it (the attempt counts)'

const target = postgresOnly()
describeOrSkip('process: SIGTERM while the database hangs (postgres)', { skip: skipWithoutPostgres() }, () => {
  const fixture = target ? processFixture(target) : undefined

  it('exits inside its grace budget by its own shutdown, not by the guard', async () => {
    const { spawn, createDatabase } = fixture!
    const database: TestDatabase = await createDatabase()
    const upstream = new URL(database.databaseUrl!)
    const proxy: TcpProxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) })
    try {
      // Every connection through the proxy, the direct one (LISTEN) included; no pooler in between.
      const viaProxy = proxy.urlFor(database.databaseUrl!)
      const server = await spawn(
        { ...database, env: database.directEnv },
        {
          DATABASE_URL: viaProxy,
          DATABASE_DIRECT_URL: viaProxy,
          SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
          CONCURRENCY: '2',
        },
      )
      // Beside a job that stops on its token, one that never looks at it: the stop abandons it at the
      // deadline, and its requeue waits on the frozen database until the stop gives up on it.
      const job = await enqueueJob(server, { type: 'count', payload: { to: 100_000, stepMs: 20 } })
      const stubborn = await enqueueJob(server, { type: 'stubborn', payload: { to: 100_000, stepMs: 20 } })
      for (const { id } of [job, stubborn]) {
        await waitForJob(server, id, (j) => j.state === 'running' && (j.checkpoint?.cursor ?? 0) > 0, {
          description: 'running with a flushed checkpoint',
        })
      }

      proxy.freeze()
      const sentAt = server.kill('SIGTERM')
      const exit = await server.exited
      const tookMs = exit.at - sentAt

      const guardFired = server.logsMatching(GUARD_MESSAGE).length > 0
      const tail = server.logs
        .slice(-25)
        .map((r) => JSON.stringify(r))
        .join('\n')
      assert.equal(guardFired, false, `the grace guard ended the shutdown; the log's last lines:\n${tail}`)
      assert.ok(
        tookMs < GRACE_SECONDS * 1000 + EXIT_MARGIN_MS,
        `exited ${tookMs} ms after SIGTERM, past its ${GRACE_SECONDS} s budget and the margin`,
      )
      assert.deepEqual([exit.code, exit.signal], [0, null], 'it exited by itself, with 0')
      // (The count job may be abandoned too, on a machine too loaded for it to stop in time.)
      assert.ok(
        server.logsMatching(ABANDONED).some((r) => r.jobId === stubborn.id),
        `the stubborn job was not abandoned:\n${tail}`,
      )
      // It said which step it gave up on: the helpers' stops, left waiting on the frozen connections.
      assert.equal(server.logsMatching(HELPERS_GAVE_UP).length, 1, `the helpers' stops were not cut short:\n${tail}`)
      // And what failed past the deadline because of the frozen database is a warning, not an error.
      const errors = server.logs.filter((r) => typeof r.time === 'number' && r.time >= sentAt && Number(r.level) >= 50)
      assert.deepEqual(
        errors.map((r) => r.msg),
        [],
        'nothing after the signal is logged as an error',
      )
    } finally {
      await proxy.close()
    }
  })
})
