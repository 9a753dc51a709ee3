/**
 * `npm start` as a user runs it: SIGTERM to the process the user sees (npm) must stop the server
 * itself, gracefully, and free its port and its DATA_DIR lock; no `node dist/src/main.js` may be
 * left behind. The server prints its own pid at start-up, so a user can also signal it directly, and
 * a development token that opens every route.
 */
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { pglite } from '../support/databases.js'
import { PROJECT_ROOT, type LogRecord } from '../support/process.js'
import { ALL_SCOPES } from '../../src/auth/scopes.js'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

describe('npm start', () => {
  const title = 'stops the server on SIGTERM to npm: graceful exit, no orphan, port and lock freed'
  it(title, { timeout: 60_000 }, async () => {
    await fs.access(path.join(PROJECT_ROOT, 'dist/src/main.js'))
    const database = await pglite.create()
    after(() => database.cleanup())
    // --ignore-scripts skips only `prestart` (the build, done before the tests); `start` itself runs.
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? PROJECT_ROOT,
        npm_config_update_notifier: 'false',
        PORT: '0',
        DATA_DIR: database.dataDir,
        SHUTDOWN_GRACE_SECONDS: '5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let serverPid: number | undefined
    after(() => {
      if (serverPid !== undefined && isAlive(serverPid)) process.kill(serverPid, 'SIGKILL')
    })
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)))
    const logs: LogRecord[] = []
    let output = ''
    const listening = new Promise<LogRecord>((resolve, reject) => {
      let buffered = ''
      npm.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk
        buffered += chunk
        let newline: number
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline)
          buffered = buffered.slice(newline + 1)
          if (!line.startsWith('{')) continue
          const record = JSON.parse(line) as LogRecord
          logs.push(record)
          if (record.msg === 'job-runner listening') resolve(record)
        }
      })
      npm.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening:\n${output}`)))
    })
    const line = await listening
    serverPid = Number(line.processId)
    const named = Number.isInteger(serverPid) && serverPid > 0
    assert.ok(named, `the start-up line names the server's pid: ${JSON.stringify(line)}`)
    assert.notEqual(serverPid, npm.pid, 'the server is npm’s child, not npm')
    assert.equal(line.host, '0.0.0.0', 'the start-up line says which address is bound')
    // The banner follows the start-up line, possibly in a later chunk of npm's output.
    const banner = new RegExp(`process ${serverPid}\\b`)
    await new Promise<void>((resolve) => {
      const check = () => banner.test(output) && (npm.stdout.off('data', check), resolve())
      npm.stdout.on('data', check)
      check()
    })
    assert.match(output, banner, 'the banner names the pid too')
    const port = Number(line.port)
    // The README's promise: a token for the subject `dev`, every scope, valid 24 hours, that works.
    const token = /development token \(sub "dev", every scope, 24 h\):\s+(\S+)/.exec(output)?.[1]
    assert.ok(token, `the banner prints a development token:\n${output}`)
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
      sub: string
      scope: string
      iat: number
      exp: number
    }
    assert.deepEqual(
      { sub: claims.sub, scopes: claims.scope.split(' ').sort(), validFor: claims.exp - claims.iat },
      { sub: 'dev', scopes: [...ALL_SCOPES].sort(), validFor: 24 * 3600 },
    )
    const status = await fetch(`http://127.0.0.1:${port}/v1/admin/status`, {
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(status.status, 200, 'the token opens an admin route')
    const lockFile = path.join(database.dataDir, 'pglite.lock')
    assert.equal((await fs.readFile(lockFile, 'utf8')).trim(), String(serverPid))

    npm.kill('SIGTERM')
    await exited
    assert.equal(isAlive(serverPid), false, `node dist/src/main.js (pid ${serverPid}) outlived npm:\n${output}`)
    const exiting = logs.find((r) => r.msg === 'exiting')
    assert.equal(exiting?.exitCode, 0, `the server ran its graceful shutdown:\n${output}`)
    await assert.rejects(fs.access(lockFile), 'the DATA_DIR lock is released')
    const probe = net.createServer()
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject)
      probe.listen(port, '0.0.0.0', resolve)
    })
    await new Promise<void>((resolve) => probe.close(() => resolve()))
  })
})
