/**
 * The databases every integration suite runs against: the embedded PGlite always, and PostgreSQL
 * when TEST_DATABASE_URL is set (as .ci/run sets it). Each `create()` gives a fresh, empty, migrated
 * database, so tests never see each other's jobs.
 *
 * With TEST_PGBOUNCER_URL (test/run.mjs sets it under TEST_PGBOUNCER=1, as .ci/run runs it) the
 * service reaches PostgreSQL through that PgBouncer in transaction pooling mode: `env` and
 * `serviceConnection` give it the bouncer as DATABASE_URL and the server as DATABASE_DIRECT_URL,
 * so every suite that starts a service or an engine runs through it. A test's own connections
 * (`databaseUrl`) stay direct: what they check is the stored truth, not the pooler.
 *
 * A fresh PGlite folder takes seconds to initialise, so one migrated template is made per test run
 * (keyed by the migrations) and copied for each test, which takes milliseconds. The template and
 * every test's data folder live in the run's folder: JOB_RUNNER_TEST_DIR, which test/run.mjs makes,
 * shares between the test files' processes and removes at the end; or, for a file run with
 * `node --test` directly, a folder of this process's own, removed when it exits.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import postgres from 'postgres'
import { connectDatabase, type ConnectOptions } from '../../src/db/connect.js'
import { migrate } from '../../src/db/migrate.js'
import { migrations } from '../../src/db/migrations/index.js'

export interface TestDatabase {
  /** The environment that points the service at this database (through PgBouncer when the run has one). */
  readonly env: { DATABASE_URL?: string; DATABASE_DIRECT_URL?: string; DATABASE_POOLING?: string; DATA_DIR: string }
  /**
   * `env` without the pooler, for a suite whose subject is not the database and whose load the
   * pooler would turn into store timeouts on a loaded machine (test/routes/*Memory): through it
   * each statement holds a server connection across a round trip to the service (src/db/pooling.ts),
   * and a starved event loop then holds the pool's few connections.
   */
  readonly directEnv: {
    DATABASE_URL?: string
    DATABASE_DIRECT_URL?: string
    DATABASE_POOLING?: string
    DATA_DIR: string
  }
  /** The database itself, never through a pooler: for a test's own connections. */
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  /** `env` as `connectDatabase` takes it, for an engine built by hand (test/support/engine.ts). */
  readonly serviceConnection: Pick<ConnectOptions, 'databaseUrl' | 'databaseDirectUrl' | 'databasePooling' | 'dataDir'>
  cleanup(): Promise<void>
}

export interface DatabaseTarget {
  readonly name: 'pglite' | 'postgres'
  create(): Promise<TestDatabase>
}

export const pglite: DatabaseTarget = {
  name: 'pglite',
  async create() {
    const template = await pgliteTemplate()
    const dataDir = await fs.mkdtemp(path.join(testRunDir(), 'job-runner-test-'))
    await copyFolder(path.join(template, 'pgdata'), path.join(dataDir, 'pgdata'))
    return {
      env: { DATA_DIR: dataDir },
      directEnv: { DATA_DIR: dataDir },
      databaseUrl: undefined,
      dataDir,
      serviceConnection: { databaseUrl: undefined, dataDir },
      cleanup: () => fs.rm(dataDir, { recursive: true, force: true }),
    }
  },
}

export function postgresTarget(adminUrl: string, bouncerUrl = process.env.TEST_PGBOUNCER_URL): DatabaseTarget {
  return {
    name: 'postgres',
    async create() {
      const name = `job_runner_test_${randomBytes(6).toString('hex')}`
      const template = await postgresTemplate(adminUrl)
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
      try {
        await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`)
      } finally {
        await admin.end()
      }
      const databaseUrl = databaseUrlOf(adminUrl, name)
      const dataDir = await fs.mkdtemp(path.join(testRunDir(), 'job-runner-test-'))
      // Migrated like the PGlite copies, so suites that use the store directly find the tables.
      if (!template) await migrateDatabase(databaseUrl, dataDir)
      const pooledUrl = bouncerUrl ? databaseUrlOf(bouncerUrl, name) : undefined
      return {
        env: pooledUrl
          ? {
              DATABASE_URL: pooledUrl,
              DATABASE_DIRECT_URL: databaseUrl,
              DATABASE_POOLING: 'transaction',
              DATA_DIR: dataDir,
            }
          : { DATABASE_URL: databaseUrl, DATA_DIR: dataDir },
        // Overrides every variable `env` may set, so that it can be spread over it.
        directEnv: {
          DATABASE_URL: databaseUrl,
          DATABASE_DIRECT_URL: databaseUrl,
          DATABASE_POOLING: 'none',
          DATA_DIR: dataDir,
        },
        databaseUrl,
        dataDir,
        serviceConnection: pooledUrl
          ? { databaseUrl: pooledUrl, databaseDirectUrl: databaseUrl, databasePooling: 'transaction', dataDir }
          : { databaseUrl, dataDir },
        async cleanup() {
          const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
          try {
            await admin.unsafe(`drop database if exists ${name} with (force)`)
          } finally {
            await admin.end()
          }
          await fs.rm(dataDir, { recursive: true, force: true })
        },
      }
    },
  }
}

/** Database `name` on the server (or the PgBouncer) of `serverUrl`. */
function databaseUrlOf(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Migrates the database of `databaseUrl`, or the embedded one in `dataDir` without it. */
async function migrateDatabase(databaseUrl: string | undefined, dataDir: string): Promise<void> {
  const db = await connectDatabase({ databaseUrl, dataDir, maxConnections: 1 })
  try {
    await migrate(db)
  } finally {
    await db.close()
  }
}

const postgresTemplates = new Map<string, Promise<string | undefined>>()

/**
 * The run's migrated PostgreSQL database that every PostgreSQL `create()` copies (CREATE DATABASE …
 * TEMPLATE): 33 ms a database instead of 141 to create one and migrate it, and about half the CPU of
 * the machine's (each run makes about a hundred). Built by the first test file's process that asks,
 * under an advisory lock the others wait on, under a name of its own that it takes only once migrated:
 * a builder that dies leaves no half-migrated template. Named after the run's folder, which
 * test/run.mjs makes and which names the template to it when it drops it at the end
 * (`dropRunTemplates`). Without that folder (a file run with node --test alone) there is none, and
 * each database is migrated.
 */
function postgresTemplate(adminUrl: string): Promise<string | undefined> {
  const runDir = process.env.JOB_RUNNER_TEST_DIR
  if (!runDir) return Promise.resolve(undefined)
  let template = postgresTemplates.get(adminUrl)
  if (!template) {
    template = buildPostgresTemplate(adminUrl, runTemplateName(runDir))
    postgresTemplates.set(adminUrl, template)
  }
  return template
}

async function buildPostgresTemplate(adminUrl: string, name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin`select pg_advisory_lock(hashtext(${name}))`
    const [built] = await admin`select 1 from pg_database where datname = ${name}`
    if (!built) {
      const building = `${name}_${randomBytes(4).toString('hex')}`
      await admin.unsafe(`create database ${building}`)
      await migrateDatabase(databaseUrlOf(adminUrl, building), testRunDir())
      await admin.unsafe(`alter database ${building} rename to ${name}`)
    }
    return name
  } finally {
    // Ending the session releases the lock.
    await admin.end()
  }
}

/** The template's name for the run of `runDir`: `job_runner_template_` and a digest of the folder. */
function runTemplateName(runDir: string): string {
  return `job_runner_template_${createHash('sha256').update(runDir).digest('hex').slice(0, 12)}`
}

/** Drops the run's PostgreSQL template, and any a builder left half-made (test/run.mjs, at the end). */
export async function dropRunTemplates(adminUrl: string, runDir: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    const names = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${runTemplateName(runDir)}%`}`
    for (const { datname } of names) await admin.unsafe(`drop database if exists ${datname} with (force)`)
  } finally {
    await admin.end()
  }
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function databaseTargets(): DatabaseTarget[] {
  const url = process.env.TEST_DATABASE_URL
  return url ? [pglite, postgresTarget(url)] : [pglite]
}

/**
 * The `skip` option of a suite whose subject does not depend on the database, on `target`: such
 * suites run on one target, the last (PostgreSQL when there is one). A client of the HTTP API (the
 * CLI against a service, the dashboard in a browser) or the token check reads what the route suites
 * prove on each database; run twice over it, it proves nothing more and costs CI a minute of two
 * cores. `why` names what makes it independent.
 */
export function onceSkip(target: DatabaseTarget, why: string): string | false {
  const last = databaseTargets().at(-1)!
  return target.name === last.name ? false : `${why}: run on ${last.name} only`
}

/**
 * `onceSkip`'s reason for route suites that need nothing of the database but its SQL. PGlite is the
 * same PostgreSQL compiled to WASM; what differs is the way to it: one session, no LISTEN, changes
 * announced in-process. The store, runner and migration suites run on both, and so do the route
 * suites that depend on that difference (long-polls, event streams, live progress, pausing a running
 * job) or on how values read back (runAt round trips). Run twice over the rest, a route suite proves
 * nothing more and costs CI half a minute of two cores.
 */
export const ROUTES_THROUGH_THE_STORE = 'the same SQL on both; the ways to the database are tested on both elsewhere'

/**
 * The `skip` option of a process test whose subject is the lifecycle's or the runner's logic (a crash
 * counted, a second SIGTERM, SIGINT, a SIGTERM while drained), on `target`: in `npm test` with
 * PostgreSQL as well (CI) it runs there only, and `npm run soak` (SOAK=long) runs it on both. On
 * PGlite such a test spawns the same server over the same SQL, slower to start (from spawn to its exit
 * after SIGTERM a server on PGlite costs about 1.2 CPU-seconds against 0.85, and 2.3 without
 * test/support/nodeFlags.ts's --liftoff-only), and proves nothing more: what is the
 * embedded database's own in a process — closing it inside the grace budget, resuming from its data
 * folder, taking over a killed process's stale lock — keeps its tests on both in CI (the first SIGTERM
 * and drain tests, SIGKILL, the stress loop). Without PostgreSQL in the run it runs on PGlite.
 */
export function embeddedInSoak(target: DatabaseTarget, why: string): string | false {
  if (process.env.SOAK === 'long') return false
  const skip = onceSkip(target, why)
  return skip && `${skip}; on both in npm run soak`
}

/** The PostgreSQL target alone, for suites that need several processes on one database. */
export function postgresOnly(): DatabaseTarget | undefined {
  const url = process.env.TEST_DATABASE_URL
  return url ? postgresTarget(url) : undefined
}

/**
 * The `skip` option of a PostgreSQL-only suite: its reason when TEST_DATABASE_URL is not set, so the
 * run reports the suite as skipped rather than as passed with nothing run.
 */
export function skipWithoutPostgres(): string | false {
  return process.env.TEST_DATABASE_URL ? false : 'PostgreSQL only: set TEST_DATABASE_URL to run it'
}

let ownRunDir: string | undefined

/** The folder this run's databases live in (see the opening comment). */
export function testRunDir(): string {
  const shared = process.env.JOB_RUNNER_TEST_DIR
  if (shared) return shared
  if (ownRunDir === undefined) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'job-runner-tests-'))
    // Synchronous: 'exit' listeners cannot wait, and --test-force-exit ends the process through exit.
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
    ownRunDir = dir
  }
  return ownRunDir
}

/**
 * The run's migrated PGlite template, built by the first test file's process that asks; the others
 * wait for it. (Built by each at once, as the first three files of a run did, three initdbs shared
 * two cores: 18-21 s before those files' first tests instead of about 4.) A builder that died
 * leaves its lock behind: after `LOCK_STALE_MS` a waiter builds a copy of its own.
 */
async function pgliteTemplate(): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(migrations)).digest('hex').slice(0, 12)
  const template = path.join(testRunDir(), `job-runner-pglite-template-${key}`)
  const ready = path.join(template, 'ready')
  const lock = `${template}.lock`
  const waitedSince = Date.now()
  for (;;) {
    if (await exists(ready)) return template
    const mine = await fs.writeFile(lock, String(process.pid), { flag: 'wx' }).then(
      () => true,
      () => false,
    )
    if (mine || Date.now() - waitedSince > LOCK_STALE_MS) break
    await sleep(50)
  }
  const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`
  await migrateDatabase(undefined, building)
  await fs.appendFile(path.join(building, 'pgdata', 'postgresql.conf'), TEST_SETTINGS)
  await fs.writeFile(path.join(building, 'ready'), '')
  // A waiter past the stale bound may have built one too; either copy is good.
  await fs.rename(building, template).catch(() => fs.rm(building, { recursive: true, force: true }))
  return template
}

/**
 * Appended to the template's postgresql.conf, so every copy starts with it. A PGlite start sets up
 * its whole shared buffer pool in WASM memory: at the default 128 MB that was about 100 ms of CPU of
 * the 260 a start costs, paid by each of the run's few hundred PGlite tests, none of which holds more
 * than a few megabytes. The service's own embedded database keeps PostgreSQL's default.
 */
const TEST_SETTINGS = '\n# test/support/databases.ts: a small pool starts faster\nshared_buffers = 16MB\n'

/** How long a test file waits for another's template build before building its own. */
const LOCK_STALE_MS = 60_000

/**
 * `cp -R` where there is one: node's `fs.cp` walks the thousand files of a PGlite folder in
 * JavaScript and spent ten times the CPU of the copy itself, once per test.
 */
async function copyFolder(from: string, to: string): Promise<void> {
  if (process.platform === 'win32') return fs.cp(from, to, { recursive: true })
  await promisify(execFile)('cp', ['-R', from, to])
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  )
}
