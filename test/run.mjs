/**
 * `npm test` (and `npm run soak`): runs node's test runner on the test files, four files at a time
 * (the longest first), and the few files that cannot share the machine with CPU-bound ones four at
 * a time after them.
 *
 * Every file runs in its own process, so what the files share lives in one temporary folder made
 * here for the run and named to them in JOB_RUNNER_TEST_DIR: the migrated PGlite template and each
 * test's data folder (test/support/databases.ts). The folder is removed when the run ends,
 * passed, failed or interrupted, so no run leaves a template or a data folder behind; and so is the
 * PostgreSQL pass's migrated template database, which is named after the folder.
 * (node 20 has no `--test-global-setup`; it arrived in node 24.)
 *
 * The folder is in memory (/dev/shm) where the machine has one: each test copies a 40 MB PGlite
 * folder of a thousand files and PGlite writes through it; on this machine's disk the copy alone
 * took a CPU-second of the kernel's, per test.
 *
 *   node test/run.mjs                      every test file but test/soak's, types checked beside them
 *   node test/run.mjs test/cli.test.ts     only these files
 *   node test/run.mjs --expose-gc file…    leading options go to node for each test file
 *
 * With TEST_DATABASE_URL and TEST_PGBOUNCER=1 (as .ci/run sets them) it also starts one PgBouncer in
 * transaction pooling mode in front of that PostgreSQL for the run (test/support/pgbouncer.ts) and
 * names it to the files in TEST_PGBOUNCER_URL: the PostgreSQL pass then runs every service and
 * engine through it (test/support/databases.ts) at no extra pass. Without the pgbouncer executable
 * it says so and the pass runs direct.
 *
 * Each file's duration is listed at the end (test/support/fileDurations.mjs).
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TSC = path.join(root, 'node_modules/typescript/bin/tsc')

/**
 * Files that run after the others, four at a time. They assert on what real processes do within
 * lease and grace timers: an exit by the grace deadline (test/process), a job blocking its event
 * loop past its lease counted once, a killed instance's job recovered only after its lease
 * expires, requests answered within the store's timeout while the database is black-holed
 * (databaseFaults), leases that expire while three servers are killed at random (chaos), a server
 * that must exit 0 within its 5 s grace after an outage (connectionLoss: it exited 1 once beside
 * the CPU-bound group, its log not kept). Beside
 * three CPU-bound files on two cores those timers stretch (tried: two such files failed in one of
 * two runs); four of these at a time, which mostly wait, hold.
 */
const ALONE = [
  /^test\/process\//,
  /^test\/runner\/connectionLoss\.test\.ts$/,
  /^test\/reliability\/(chaos|databaseFaults)\.test\.ts$/,
  /^test\/soak\//,
  /^test\/bench\//,
]

/**
 * Of the other files, these start first: the longest, so that the group ends with short files
 * rather than with one long file on an idle core. The rest follow in name order.
 */
const LONGEST_FIRST = [
  /^test\/package\/exampleApp\.test\.ts$/,
  /^test\/cli\.test\.ts$/,
  /^test\/reliability\//,
  /^test\/runner\/generations\.test\.ts$/,
  /^test\/routes\/dashboard\.test\.ts$/,
  /^test\/schedules\/scheduler\.test\.ts$/,
  /^test\/routes\/(events|flowControl|jobs)\.test\.ts$/,
  /^test\/bulk\//,
  /^test\/client\/client\.test\.ts$/,
  // and of the process files
  /^test\/process\/(sigterm|crash|drain|sigkill)\.test\.ts$/,
  /^test\/reliability\/databaseFaults\.test\.ts$/,
]

/**
 * Files of the shared group run at once (each its own process): TEST_CONCURRENCY, or 4 on 2 cores.
 * Three left the machine a third idle (files wait on servers, timers and PostgreSQL). On clean
 * clones, one machine, one afternoon, whose own pace moved by a quarter (4m53 to 6m03 CPU-seconds
 * for the same run): `.ci/run` took 278, 294 and 279 s at three, and 251, 283 and 299 s at four.
 * Runs of a like pace, paired: 279 s at three against 251 at four (5m01 and 4m53 CPU-seconds), and
 * 294 against 283 (5m40 and 5m44). So four gains 10 to 30 s where the machine holds its pace.
 * Every run was green.
 */
const CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? 4)
/**
 * Files of the process group at once: TEST_ALONE_CONCURRENCY, or 4. They mostly wait on timers and
 * on the servers they spawn (a run of the group at 4: 94 CPU-seconds of its own processes in 102 s); 4 held under a load average
 * of 5-7 from other work on the machine, where 3 took as long.
 */
const ALONE_CONCURRENCY = Number(process.env.TEST_ALONE_CONCURRENCY ?? 4)

const args = process.argv.slice(2)
const nodeOptions = args.filter((arg) => arg.startsWith('-'))
const named = args.filter((arg) => !arg.startsWith('-')).map((file) => path.relative(root, path.resolve(file)))
const files = longestFirst(
  named.length > 0 ? named : findTestFiles('test').filter((file) => !file.startsWith('test/soak/')),
)

const typeCheck = named.length > 0 ? undefined : startTypeCheck()
build()
// Flags for every node process of the run (see the file); node's test runner passes them on to each file's.
const { TEST_NODE_FLAGS } = await import('../dist/test/support/nodeFlags.js')

const runDir = fs.mkdtempSync(path.join(inMemoryFolder() ?? os.tmpdir(), 'job-runner-tests-'))
let current
let interrupted = false
const bouncer = await startRunBouncer()
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true
    // To the whole process group: the test files, and the servers, CLIs and PgBouncers they spawned,
    // which a signal to node's test runner alone would leave running (holding ports and folders).
    if (current?.pid !== undefined) {
      try {
        process.kill(-current.pid, signal)
      } catch {
        // The group has already exited.
      }
    }
  })
}

const shared = files.filter((file) => !ALONE.some((pattern) => pattern.test(file)))
const alone = files.filter((file) => ALONE.some((pattern) => pattern.test(file)))

let exitCode = 0
try {
  for (const [group, concurrency] of [
    [shared, CONCURRENCY],
    [alone, ALONE_CONCURRENCY],
  ]) {
    if (group.length === 0 || interrupted) continue
    const code = await runFiles(group, concurrency)
    if (code !== 0) exitCode = code
  }
  if (typeCheck && !interrupted) {
    const { status, output } = await typeCheck.done
    if (status !== 0) {
      console.log(`the type check failed (tsc -p tsconfig.check.json):\n${output}`)
      if (exitCode === 0) exitCode = 1
    }
  }
} finally {
  if (bouncer) {
    // Evidence in the log that the pass went through it (and how much): pools are kept to the end.
    const carried = await bouncer.transactions().catch((error) => ({ error }))
    console.log(
      'error' in carried
        ? `PgBouncer's counters could not be read: ${carried.error.message}`
        : `PgBouncer carried ${carried.transactions} transactions of ${carried.databases} databases`,
    )
    await bouncer.stop()
  }
  typeCheck?.child.kill()
  if (process.env.TEST_DATABASE_URL) {
    // The migrated database the PostgreSQL pass copied for each test (test/support/databases.ts).
    const { dropRunTemplates } = await import('../dist/test/support/databases.js')
    await dropRunTemplates(process.env.TEST_DATABASE_URL, runDir).catch((error) =>
      console.log(`the run's template database could not be dropped: ${error.message}`),
    )
  }
  fs.rmSync(runDir, { recursive: true, force: true })
}
process.exit(interrupted && exitCode === 0 ? 130 : exitCode)

/**
 * The run's PgBouncer (see the opening comment), or undefined. Its pools are small (4 server
 * connections per test database; TEST_PGBOUNCER_POOL_SIZE) so that a client's transactions land on
 * different server connections and any session state left behind shows; compiled by `build()`.
 */
async function startRunBouncer() {
  const upstreamUrl = process.env.TEST_DATABASE_URL
  if (process.env.TEST_PGBOUNCER !== '1' || !upstreamUrl || process.env.TEST_PGBOUNCER_URL) return undefined
  const { findPgBouncer, startPgBouncer } = await import('../dist/test/support/pgbouncer.js')
  if (findPgBouncer() === undefined) {
    console.log('TEST_PGBOUNCER=1 but pgbouncer is not installed: the PostgreSQL pass runs without it')
    return undefined
  }
  const poolSize = Number(process.env.TEST_PGBOUNCER_POOL_SIZE ?? 4)
  const bouncer = await startPgBouncer({ upstreamUrl, poolSize, keepPoolsSeconds: 24 * 3600 })
  console.log(
    `PostgreSQL pass through PgBouncer (transaction pooling, ${poolSize} server connections a database) on port ${bouncer.port}`,
  )
  return bouncer
}

function longestFirst(files) {
  const rank = (file) => {
    const index = LONGEST_FIRST.findIndex((pattern) => pattern.test(file))
    return index === -1 ? LONGEST_FIRST.length : index
  }
  return [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

function runFiles(group, concurrency) {
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout']
  reporters.push('--test-reporter=./test/support/fileDurations.mjs', '--test-reporter-destination=stdout')
  const argv = [
    ...TEST_NODE_FLAGS,
    ...nodeOptions,
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-force-exit',
  ]
  current = spawn(process.execPath, [...argv, ...reporters, ...group.map(compiledName)], {
    cwd: root,
    env: {
      ...process.env,
      JOB_RUNNER_TEST_DIR: runDir,
      ...(bouncer ? { TEST_PGBOUNCER_URL: bouncer.urlFor(process.env.TEST_DATABASE_URL) } : {}),
    },
    stdio: 'inherit',
    // A process group of its own, which an interrupted run signals whole (above). Ctrl-C at a
    // terminal reaches this process alone, and it passes it on.
    detached: true,
  })
  return new Promise((resolve) => {
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/**
 * Compiles the service and the tests into dist/ (test/tsconfig.json, incremental: seconds when little
 * changed), copies the plain job files beside the compiled ones and writes dist/openapi.json, as
 * `npm run build` does. The test files then run as plain JavaScript: under tsx's loader every module
 * of every test process, compiled or not, went through its hooks thread, a CPU-second per file before
 * the first test.
 *
 * The compile emits without checking types (`--noCheck`: the same files, byte for byte; 6 s instead
 * of 13.5 on a clean clone of two cores), so that the tests start sooner; `startTypeCheck` checks
 * them beside the run.
 */
function build() {
  const steps = [
    [TSC, '-p', path.join(root, 'test/tsconfig.json'), '--noCheck'],
    [path.join(root, 'scripts/copy-job-files.mjs')],
    [path.join(root, 'scripts/openapi-json.mjs')],
  ]
  for (const step of steps) {
    const { status } = spawnSync(process.execPath, step, { cwd: root, stdio: 'inherit' })
    if (status !== 0) process.exit(status ?? 1)
  }
}

/**
 * The type check of a whole run (`npm run typecheck`: the service, the tests and the benchmarks),
 * in the background at the lowest priority, so that it takes what CPU the test files leave (the
 * process group mostly waits); its verdict counts once the files have run. A run of named files
 * (a quick loop, or the soak) has none.
 */
function startTypeCheck() {
  const args = [TSC, '-p', path.join(root, 'tsconfig.check.json'), '--incremental']
  args.push('--tsBuildInfoFile', path.join(root, 'dist/.tsbuildinfo-check'))
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  try {
    os.setPriority(child.pid, 19)
  } catch {
    // Not allowed here: it competes at the normal priority.
  }
  let output = ''
  for (const stream of [child.stdout, child.stderr]) stream.setEncoding('utf8').on('data', (chunk) => (output += chunk))
  return { child, done: new Promise((resolve) => child.on('close', (status) => resolve({ status, output }))) }
}

/** test/x.test.ts → dist/test/x.test.js */
function compiledName(file) {
  return path.join('dist', file.replace(/\.ts$/, '.js'))
}

/** /dev/shm when it is a writable tmpfs (Linux), else undefined. */
function inMemoryFolder() {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK)
    return fs.statfsSync('/dev/shm').type === 0x01021994 ? '/dev/shm' : undefined // TMPFS_MAGIC
  } catch {
    return undefined
  }
}

function findTestFiles(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`
    if (entry.isDirectory()) return findTestFiles(relative)
    return entry.name.endsWith('.test.ts') ? [relative] : []
  })
}
