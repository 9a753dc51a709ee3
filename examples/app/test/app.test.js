/**
 * The app as it runs on a platform: the Procfile's `web:` command (`job-runner start`) with this
 * app's jobs, a caller enqueuing through job-runner/client, a SIGTERM in the middle of a long
 * import, and a second start that resumes the import from its checkpoint.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createClient, mintToken } from 'job-runner/client'

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SECRET = 'example-app-test-secret-of-32-bytes-or-more'
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'job-runner-example-'))
const started = []
after(() => {
  for (const server of started) server.child.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** The Procfile's web: line, run from node_modules/.bin as the platform would. */
function webCommand() {
  const line = fs
    .readFileSync(path.join(APP, 'Procfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('web:'))
  const [bin, ...args] = line.slice('web:'.length).trim().split(/\s+/)
  return [path.join(APP, 'node_modules', '.bin', bin), args]
}

/** Starts the app; resolves with its URL once it listens, and its exit and log lines. */
async function startApp() {
  const [bin, args] = webCommand()
  const child = spawn(bin, args, {
    cwd: APP,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? APP,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      CHECKPOINT_INTERVAL_SECONDS: '0.2',
      SHUTDOWN_GRACE_SECONDS: '5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const server = { child, lines: [], exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) }
  started.push(server)
  const watchers = new Set()
  server.waitFor = (predicate) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const line = server.lines.find(predicate)
        if (line) {
          watchers.delete(check)
          resolve(line)
        }
      }
      watchers.add(check)
      check()
      server.exited.then((code) =>
        reject(
          new Error(
            `the app exited (${code}):\n${server.lines
              .slice(-10)
              .map((l) => JSON.stringify(l))
              .join('\n')}`,
          ),
        ),
      )
    })
  let buffered = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop()
    for (const line of lines) {
      try {
        server.lines.push(JSON.parse(line))
      } catch {
        server.lines.push({ msg: line })
      }
    }
    for (const watcher of [...watchers]) watcher()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk) => server.lines.push({ stderr: chunk }))
  server.url = (await server.waitFor((line) => line.msg === 'job-runner listening')).url
  return server
}

it('runs its own jobs, and a SIGTERM mid-import resumes on the next start', async () => {
  const first = await startApp()
  const token = () => mintToken({ secret: SECRET, sub: 'example-test', scopes: ['jobs:write', 'jobs:read'] })
  let jobs = createClient({ url: first.url, token })

  const email = await jobs.enqueue('welcome-email', { to: 'ada@example.com', name: 'Ada' })
  assert.deepEqual((await jobs.wait(email.id)).result, { to: 'ada@example.com', bytes: 26 })

  const importJob = await jobs.enqueue('import-rows', { rows: 2000, batchSize: 20, batchMs: 50 })
  await first.waitFor((line) => line.jobId === importJob.id && line.imported >= 100)
  first.child.kill('SIGTERM')
  assert.equal(await first.exited, 0)

  const second = await startApp()
  jobs = createClient({ url: second.url, token })
  const done = await jobs.wait(importJob.id)
  assert.equal(done.state, 'succeeded')
  assert.equal(done.result.imported, 2000)
  assert.ok(done.result.resumedFrom >= 100, `resumed from the checkpoint (${done.result.resumedFrom})`)
  assert.equal(done.interruptions, 1)
  second.child.kill('SIGTERM')
  assert.equal(await second.exited, 0)
})
