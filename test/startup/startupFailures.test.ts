/**
 * Start-up failures of the real, compiled processes: a database host that never answers (the
 * server, the release command and `job-runner migrate` each give one line naming DATABASE_URL and
 * the host, well within 10 s), SIGTERM/SIGINT during start-up (the process exits within 1 s and
 * closes its connection), and the common mistakes (port in use, unwritable DATA_DIR, a database or
 * role that does not exist, a real database without JWT configuration) as one sentence naming the
 * variable, never a stack trace.
 *
 * Every address here is loopback: the silent "database" is a listener on 127.0.0.1.
 */
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import fs, { watch } from 'node:fs/promises'
import { spawnSync } from 'node:child_process'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pglite, postgresOnly, type TestDatabase } from '../support/databases.js'
import { PROJECT_ROOT } from '../support/process.js'
import { TEST_SECRET } from '../support/service.js'
import { linesOf, runCompiled, silentListener, type Finished } from './run.js'

const MAIN = 'dist/src/main.js'
const RELEASE = 'dist/src/db/migrateCommand.js'
const CLI = 'dist/src/cli.js'

/** The one JSON line a non-TTY start-up failure writes on stderr, parsed. */
function failureLine(run: Finished): Record<string, unknown> {
  const lines = linesOf(run.stderr)
  assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`)
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'a sentence, not a stack trace')
  return JSON.parse(lines[0]!) as Record<string, unknown>
}

describe('start-up: a database host that never answers', () => {
  const title = 'the server, the release command and job-runner migrate each say so in one line within 10 s'
  it(title, { timeout: 30_000 }, async () => {
    const silent = await silentListener()
    after(() => silent.close())
    const databaseUrl = `postgres://app:hunter2secret@127.0.0.1:${silent.port}/jobs`
    const env = { DATABASE_URL: databaseUrl, JWT_SECRET: TEST_SECRET, PORT: '0' }
    const [server, release, cli] = await Promise.all([
      runCompiled(MAIN, [], env).finished,
      runCompiled(RELEASE, [], env).finished,
      runCompiled(CLI, ['migrate'], env).finished,
    ])
    const expected = [
      ['server', server, 1],
      ['release command', release, 1],
      ['job-runner migrate', cli, 3],
    ] as const
    for (const [name, run, code] of expected) {
      assert.equal(run.code, code, `${name} exit code; stderr: ${run.stderr}`)
      assert.ok(run.elapsedMs < 10_000, `${name} took ${run.elapsedMs} ms`)
      assert.match(run.stderr, /DATABASE_URL/, name)
      assert.ok(run.stderr.includes(`127.0.0.1:${silent.port}`), `${name} names the host: ${run.stderr}`)
      const shown = run.stderr.includes('hunter2secret') || run.stdout.includes('hunter2secret')
      assert.ok(!shown, `${name} never shows the password`)
      assert.equal(linesOf(run.stderr).length, 1, `${name}: one line, got:\n${run.stderr}`)
    }
    const line = failureLine(server)
    assert.equal(line.variable, 'DATABASE_URL')
    assert.match(String(line.msg), /^job-runner cannot start: DATABASE_URL: no answer from 127\.0\.0\.1:\d+ within/)
    assert.equal(failureLine(release).variable, 'DATABASE_URL')
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const title = `${signal} while start-up waits for the database exits within 1 s and closes the connection`
    it(title, { timeout: 20_000 }, async () => {
      const silent = await silentListener()
      after(() => silent.close())
      // A long connect timeout, so only the signal can end this start-up.
      const env = {
        DATABASE_URL: `postgres://app@127.0.0.1:${silent.port}/jobs`,
        JWT_SECRET: TEST_SECRET,
        PORT: '0',
        DATABASE_CONNECT_TIMEOUT_SECONDS: '60',
      }
      const server = runCompiled(MAIN, [], env)
      await silent.connected
      const sentAt = performance.now()
      server.child.kill(signal)
      const run = await server.finished
      const tookMs = Math.round(performance.now() - sentAt)
      assert.ok(tookMs < 1000, `exited ${tookMs} ms after ${signal}`)
      assert.equal(run.code, 0, `a start-up stopped on request exits 0; stderr: ${run.stderr}`)
      assert.match(run.stderr, new RegExp(`start-up aborted by ${signal}`))
      await silent.allClosed()
      assert.equal(silent.openSockets(), 0)
    })
  }
})

describe('start-up: a signal while the embedded database opens', () => {
  it('SIGTERM exits within 1 s and gives the DATA_DIR lock back', { timeout: 30_000 }, async () => {
    const database = await pglite.create()
    after(() => database.cleanup())
    const lockFile = path.join(database.dataDir, 'pglite.lock')
    // The lock is the first thing the embedded database takes: from then on it is opening.
    const watcher = watch(database.dataDir)
    const server = runCompiled(MAIN, [], { ...database.env, JWT_SECRET: TEST_SECRET, PORT: '0' })
    for await (const event of watcher) {
      if (event.filename === 'pglite.lock') break
    }
    const sentAt = performance.now()
    server.child.kill('SIGTERM')
    const run = await server.finished
    const tookMs = Math.round(performance.now() - sentAt)
    assert.ok(tookMs < 1000, `exited ${tookMs} ms after SIGTERM`)
    assert.equal(run.code, 0, run.stderr)
    assert.doesNotMatch(run.stdout, /job-runner listening/)
    await assert.rejects(fs.access(lockFile), 'the DATA_DIR lock is given back')
  })
})

describe('start-up: common mistakes get a sentence naming the variable', () => {
  const databases: TestDatabase[] = []
  after(async () => {
    await Promise.all(databases.map((database) => database.cleanup()))
  })

  it('a port in use names PORT and the host it tried, and exits 1', { timeout: 30_000 }, async () => {
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    after(() => new Promise<void>((resolve) => taken.close(() => resolve())))
    const port = (taken.address() as net.AddressInfo).port
    // PostgreSQL when there is one: it opens in a blink, where a cold PGlite takes seconds.
    const database = await (postgresOnly() ?? pglite).create()
    databases.push(database)
    const env = { ...database.env, JWT_SECRET: TEST_SECRET, HOST: '127.0.0.1', PORT: String(port) }
    const run = await runCompiled(MAIN, [], env).finished
    assert.equal(run.code, 1, run.stderr)
    const line = failureLine(run)
    assert.equal(line.variable, 'PORT')
    assert.match(String(line.msg), new RegExp(`PORT=${port} is in use on 127\\.0\\.0\\.1`))
    // The port is bound before the runner claims anything, and the DATA_DIR lock was given back.
    await assert.rejects(fs.access(path.join(database.dataDir, 'pglite.lock')))
  })

  it('a DATA_DIR that cannot be a folder names DATA_DIR, and exits 1', { timeout: 20_000 }, async () => {
    // Tests may run as root, who may write anywhere: a path under a plain file fails for everyone.
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-startup-')), 'a-file')
    await fs.writeFile(file, '')
    after(() => fs.rm(path.dirname(file), { recursive: true, force: true }))
    for (const script of [MAIN, RELEASE]) {
      const run = await runCompiled(script, [], { DATA_DIR: path.join(file, 'data'), PORT: '0' }).finished
      assert.equal(run.code, 1, `${script}: ${run.stderr}`)
      const line = failureLine(run)
      assert.equal(line.variable, 'DATA_DIR', script)
      assert.match(String(line.msg), /DATA_DIR=.*a-file\/data is not a writable folder/)
    }
  })

  const brokenJobFile = 'a broken job file names the file, or both files for one name twice, before any connection'
  it(brokenJobFile, async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-jobs-'))
    after(() => fs.rm(folder, { recursive: true, force: true }))
    const job = (name: string): string => `export default { name: '${name}', payloadSchema: {}, run: async () => 1 }\n`
    // The database would never answer: a job file problem must be found before it is asked.
    const databaseUrl = 'postgres://app@127.0.0.1:9/jobs'
    const env = { JOBS_DIR: folder, DATABASE_URL: databaseUrl, JWT_SECRET: TEST_SECRET, PORT: '0' }

    await fs.writeFile(path.join(folder, 'broken.mjs'), 'export default {\n')
    const syntax = await runCompiled(MAIN, [], env).finished
    assert.equal(syntax.code, 1, syntax.stderr)
    assert.match(String(failureLine(syntax).msg), /broken\.mjs cannot be loaded: SyntaxError/)

    await fs.rm(path.join(folder, 'broken.mjs'))
    await fs.writeFile(path.join(folder, 'first.mjs'), job('twin'))
    await fs.writeFile(path.join(folder, 'second.mjs'), job('twin'))
    const twice = await runCompiled(MAIN, [], env).finished
    assert.equal(twice.code, 1, twice.stderr)
    const line = failureLine(twice)
    assert.match(String(line.msg), /two job files define twin: .*first\.mjs and .*second\.mjs/)
    assert.equal((line.files as string[]).length, 2)
  })

  // util-linux's `script` gives the process a terminal, as an operator's shell would.
  const noTerminal = 'needs `script` (util-linux) for a terminal'
  const hasScript = spawnSync('script', ['--version']).status === 0 ? false : noTerminal
  it('on a terminal the sentence is plain text, not JSON', { skip: hasScript, timeout: 20_000 }, async () => {
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-startup-')), 'a-file')
    await fs.writeFile(file, '')
    after(() => fs.rm(path.dirname(file), { recursive: true, force: true }))
    const terminal = spawnSync('script', ['-qec', `${process.execPath} ${MAIN}`, '/dev/null'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DATA_DIR: path.join(file, 'data'), PORT: '0' },
      encoding: 'utf8',
    })
    assert.equal(terminal.status, 1, terminal.stdout)
    const lines = linesOf(terminal.stdout.replace(/\r/g, ''))
    assert.equal(lines.length, 1, terminal.stdout)
    assert.match(lines[0]!, /^job-runner cannot start: DATA_DIR=.* is not a writable folder/)
  })

  const adminUrl = process.env.TEST_DATABASE_URL
  const needsPostgres = adminUrl ? false : 'needs TEST_DATABASE_URL (a PostgreSQL server)'

  const missingDatabase = 'a database that does not exist names DATABASE_URL, for the server and the release command'
  it(missingDatabase, { skip: needsPostgres, timeout: 20_000 }, async () => {
    const url = new URL(adminUrl!)
    url.pathname = '/job_runner_no_such_database'
    const env = { DATABASE_URL: url.toString(), JWT_SECRET: TEST_SECRET, PORT: '0' }
    for (const script of [MAIN, RELEASE]) {
      const run = await runCompiled(script, [], env).finished
      assert.equal(run.code, 1, `${script}: ${run.stderr}`)
      const line = failureLine(run)
      assert.equal(line.variable, 'DATABASE_URL')
      assert.match(String(line.msg), /the database "job_runner_no_such_database" does not exist on 127\.0\.0\.1:5432/)
    }
  })

  const noJwt = 'a real DATABASE_URL without JWT configuration names JWT_SECRET, exits 2 and generates no secret'
  it(noJwt, { skip: needsPostgres, timeout: 20_000 }, async () => {
    // A development secret next to a shared database would let anyone who can read it mint tokens.
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-startup-'))
    after(() => fs.rm(dataDir, { recursive: true, force: true }))
    const run = await runCompiled(MAIN, [], { DATABASE_URL: adminUrl!, DATA_DIR: dataDir, PORT: '0' }).finished
    assert.equal(run.code, 2, run.stderr)
    const line = failureLine(run)
    assert.equal(line.variable, 'JWT_SECRET')
    assert.match(
      String(line.msg),
      /^job-runner cannot start: JWT_SECRET is not set: .*JWT_PUBLIC_KEY \/ JWT_JWKS_URL.* when DATABASE_URL is set/,
    )
    assert.doesNotMatch(run.stdout, /job-runner listening|development token/)
    assert.deepEqual(await fs.readdir(dataDir), [], 'no development secret written')
  })

  it('a role that does not exist names DATABASE_URL', { skip: needsPostgres, timeout: 20_000 }, async () => {
    const url = new URL(adminUrl!)
    url.username = 'job_runner_no_such_role'
    const env = { DATABASE_URL: url.toString(), JWT_SECRET: TEST_SECRET, PORT: '0' }
    const run = await runCompiled(MAIN, [], env).finished
    assert.equal(run.code, 1, run.stderr)
    const line = failureLine(run)
    assert.equal(line.variable, 'DATABASE_URL')
    assert.match(String(line.msg), /refused the role "job_runner_no_such_role"/)
  })
})
