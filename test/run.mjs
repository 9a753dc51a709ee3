/**
 * `npm test` (and `npm run soak`): runs node's test runner on the test files, three files at a time,
 * and the few files that cannot share the machine with CPU-bound ones two at a time after them.
 *
 * Every file runs in its own process, so what the files share lives in one temporary folder made
 * here for the run and named to them in JOB_RUNNER_TEST_DIR: the migrated PGlite template and each
 * test's data folder (test/support/databases.ts). The folder is removed when the run ends,
 * passed, failed or interrupted, so no run leaves a template or a data folder behind.
 * (node 20 has no `--test-global-setup`; it arrived in node 24.)
 *
 * The folder is in memory (/dev/shm) where the machine has one: each test copies a 40 MB PGlite
 * folder of a thousand files and PGlite writes through it; on this machine's disk the copy alone
 * took a CPU-second of the kernel's, per test.
 *
 *   node test/run.mjs                      every test file but test/soak's
 *   node test/run.mjs test/cli.test.ts     only these files
 *   node test/run.mjs --expose-gc file…    leading options go to node for each test file
 *
 * Each file's duration is listed at the end (test/support/fileDurations.mjs).
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Files that run after the others, two at a time. They assert on wall-clock bounds of real
 * processes: an exit within the shutdown grace plus 1.5 s (test/process), requests answered within
 * 1 s of the store's timeout while the database is black-holed (databaseFaults), leases that expire
 * while three servers are killed at random (chaos). Three CPU-bound files on two cores stretch those
 * bounds; two of these, which mostly wait on leases and grace timers, do not (they held on a machine
 * loaded past 4). Everything else waits on events and shares the machine three files at a time.
 */
const ALONE = [
  /^test\/process\//,
  /^test\/reliability\/(chaos|databaseFaults)\.test\.ts$/,
  /^test\/soak\//,
  /^test\/bench\//,
]

const args = process.argv.slice(2)
const nodeOptions = args.filter((arg) => arg.startsWith('-'))
const named = args.filter((arg) => !arg.startsWith('-')).map((file) => path.relative(root, path.resolve(file)))
const files = (named.length > 0 ? named : findTestFiles('test').filter((file) => !file.startsWith('test/soak/'))).sort()
const shared = files.filter((file) => !ALONE.some((pattern) => pattern.test(file)))
const alone = files.filter((file) => ALONE.some((pattern) => pattern.test(file)))

build()

const runDir = fs.mkdtempSync(path.join(inMemoryFolder() ?? os.tmpdir(), 'job-runner-tests-'))
let current
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true
    current?.kill(signal)
  })
}

let exitCode = 0
try {
  for (const [group, concurrency] of [
    [shared, 3],
    [alone, 2],
  ]) {
    if (group.length === 0 || interrupted) continue
    const code = await runFiles(group, concurrency)
    if (code !== 0) exitCode = code
  }
} finally {
  fs.rmSync(runDir, { recursive: true, force: true })
}
process.exit(interrupted && exitCode === 0 ? 130 : exitCode)

function runFiles(group, concurrency) {
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout']
  reporters.push('--test-reporter=./test/support/fileDurations.mjs', '--test-reporter-destination=stdout')
  const argv = [
    ...nodeOptions,
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-force-exit',
  ]
  current = spawn(process.execPath, [...argv, ...reporters, ...group.map(compiledName)], {
    cwd: root,
    env: { ...process.env, JOB_RUNNER_TEST_DIR: runDir },
    stdio: 'inherit',
  })
  return new Promise((resolve) => {
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/**
 * Compiles the service and the tests into dist/ (test/tsconfig.json, incremental: seconds when little
 * changed) and copies the plain job files beside the compiled ones, as `npm run build` does. The test
 * files then run as plain JavaScript: under tsx's loader every module of every test process, compiled
 * or not, went through its hooks thread, a CPU-second per file before the first test.
 */
function build() {
  const steps = [
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'test/tsconfig.json')],
    [path.join(root, 'scripts/copy-job-files.mjs')],
  ]
  for (const step of steps) {
    const { status } = spawnSync(process.execPath, step, { cwd: root, stdio: 'inherit' })
    if (status !== 0) process.exit(status ?? 1)
  }
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
