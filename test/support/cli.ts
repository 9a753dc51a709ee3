/**
 * Runs the `job-runner` CLI for real, as its users do: the package bin, `dist/src/cli.js`, built by
 * `npm test`'s pretest (tsx would add a third of a second of compile-and-load to each of the
 * suite's hundred-odd runs). The environment is a bare shell's: none of this machine's job-runner
 * settings leak in.
 *
 * `cliInProcess` runs the same `runCli` the bin calls, in this process, with that environment and
 * streams of its own: for the many cases whose subject is a command's answer rather than the process
 * (each spawn costs node's start-up, a third of a CPU-second, and CI is CPU-bound). What only a
 * process shows (the bin and its shebang, the exit code reaching the shell, stdin piped in, a
 * follower interrupted, the shell completion, an embedded database's lock) stays spawned.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { Readable } from 'node:stream'
import fs from 'node:fs'
import path from 'node:path'
import { runCli } from '../../src/cli/runCli.js'
import { projectRoot } from '../../src/support/projectRoot.js'
import { TEST_NODE_FLAGS } from './nodeFlags.js'
import { textSink } from './textSink.js'

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** The compiled bin, or an error saying how to build it. */
export function cliPath(): string {
  const bin = path.join(projectRoot(), 'dist/src/cli.js')
  if (!fs.existsSync(bin)) {
    throw new Error(
      'dist/src/cli.js is missing: the CLI tests run the package bin; run `npm run build` first (npm test does it as pretest)',
    )
  }
  return bin
}

/** The environment of a bare shell plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(JWT_|DATABASE_URL|DATA_DIR|JOB_RUNNER_|PORT$|TEST_DATABASE_URL)/.test(key)) continue
    env[key] = value
  }
  return { ...env, ...extra }
}

/** Starts a CLI run; `done` resolves when it exits, `stderrSoFar` reads what it printed until now. */
export function startCli(args: readonly string[], env: Record<string, string> = {}, stdin?: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...TEST_NODE_FLAGS, cliPath(), ...args], {
    cwd: projectRoot(),
    env: cleanEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  child.stdin.end(stdin ?? '')
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, done, stderrSoFar: () => stderr }
}

/** Runs the CLI to its exit. */
export function cli(args: readonly string[], env: Record<string, string> = {}, stdin?: string): Promise<CliRun> {
  return startCli(args, env, stdin).done
}

/** Runs the CLI's `runCli` in this process to its end, with `cleanEnv(env)` and `stdin` as its input. */
export async function cliInProcess(
  args: readonly string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<CliRun> {
  const [stdout, stderr] = [textSink(), textSink()]
  const code = await runCli(args, {
    env: cleanEnv(env),
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([stdin ?? '']),
  })
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}
