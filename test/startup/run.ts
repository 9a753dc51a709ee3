/**
 * Runs one of the compiled commands (`dist/src/main.js`, the release command, the CLI) with a clean
 * environment and collects what it wrote, for the start-up failure tests. Unlike `spawnServer`,
 * nothing is expected to listen: these processes are meant to stop, and the tests time them.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { PROJECT_ROOT } from '../support/process.js'
import { TEST_NODE_FLAGS } from '../support/nodeFlags.js'

export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** Milliseconds from spawn to exit. */
  readonly elapsedMs: number
}

export interface Running {
  readonly child: ChildProcess
  readonly finished: Promise<Finished>
}

/** Starts `node <script> ...args` in the project with only `env` (plus PATH and HOME). */
export function runCompiled(script: string, args: readonly string[], env: Record<string, string | undefined>): Running {
  if (!fs.existsSync(path.join(PROJECT_ROOT, script))) {
    throw new Error(`${script} is missing: run \`npm run build\` first`)
  }
  const started = performance.now()
  const child = spawn(process.execPath, [...TEST_NODE_FLAGS, script, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? PROJECT_ROOT,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const finished = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, elapsedMs: Math.round(performance.now() - started) }),
    )
  })
  return { child, finished }
}

/**
 * A loopback TCP listener that accepts every connection and never answers: a database host whose
 * packets vanish, as far as a client can tell, without aiming at any other address. `connected`
 * resolves at the first accepted connection; `closed` when a client has closed all it opened.
 */
export async function silentListener(): Promise<{
  port: number
  connected: Promise<void>
  openSockets: () => number
  allClosed: () => Promise<void>
  close: () => Promise<void>
}> {
  const sockets = new Set<net.Socket>()
  const waiters = new Set<() => void>()
  let firstConnection!: () => void
  const connected = new Promise<void>((resolve) => (firstConnection = resolve))
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('data', () => {})
    socket.on('error', () => {})
    socket.on('close', () => {
      sockets.delete(socket)
      if (sockets.size === 0) for (const waiter of [...waiters]) waiter()
    })
    firstConnection()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    connected,
    openSockets: () => sockets.size,
    allClosed: () =>
      sockets.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = (): void => {
              waiters.delete(done)
              resolve()
            }
            waiters.add(done)
          }),
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The non-empty lines of `text`. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '')
}
