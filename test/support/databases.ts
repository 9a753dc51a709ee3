/**
 * The databases every integration suite runs against: the embedded PGlite always, and PostgreSQL
 * when TEST_DATABASE_URL is set (as .ci/run sets it). Each `create()` gives a fresh, empty, migrated
 * database, so tests never see each other's jobs.
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
import { promisify } from 'node:util'
import postgres from 'postgres'
import { connectDatabase } from '../../src/db/connect.js'
import { migrate } from '../../src/db/migrate.js'
import { migrations } from '../../src/db/migrations/index.js'

export interface TestDatabase {
  /** The environment that points the service at this database. */
  readonly env: { DATABASE_URL?: string; DATA_DIR: string }
  readonly databaseUrl: string | undefined
  readonly dataDir: string
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
      databaseUrl: undefined,
      dataDir,
      cleanup: () => fs.rm(dataDir, { recursive: true, force: true }),
    }
  },
}

export function postgresTarget(adminUrl: string): DatabaseTarget {
  return {
    name: 'postgres',
    async create() {
      const name = `job_runner_test_${randomBytes(6).toString('hex')}`
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
      try {
        await admin.unsafe(`create database ${name}`)
      } finally {
        await admin.end()
      }
      const url = new URL(adminUrl)
      url.pathname = `/${name}`
      const databaseUrl = url.toString()
      const dataDir = await fs.mkdtemp(path.join(testRunDir(), 'job-runner-test-'))
      // Migrated like the PGlite copies, so suites that use the store directly find the tables.
      const db = await connectDatabase({ databaseUrl, dataDir, maxConnections: 1 })
      try {
        await migrate(db)
      } finally {
        await db.close()
      }
      return {
        env: { DATABASE_URL: databaseUrl, DATA_DIR: dataDir },
        databaseUrl,
        dataDir,
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

async function pgliteTemplate(): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(migrations)).digest('hex').slice(0, 12)
  const template = path.join(testRunDir(), `job-runner-pglite-template-${key}`)
  if (await exists(path.join(template, 'ready'))) return template
  const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`
  const db = await connectDatabase({ databaseUrl: undefined, dataDir: building })
  try {
    await migrate(db)
  } finally {
    await db.close()
  }
  await fs.writeFile(path.join(building, 'ready'), '')
  // Another test file's process may have won the race; either copy is good.
  await fs.rename(building, template).catch(() => fs.rm(building, { recursive: true, force: true }))
  return template
}

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
