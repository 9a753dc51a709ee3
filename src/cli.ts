#!/usr/bin/env node
/**
 * The `job-runner` command (package.json `bin`, so `npx job-runner …`): run the service with an
 * app's own jobs (`start`), mint tokens, enqueue jobs,
 * follow, list, cancel, pause, resume, retry and replay them (one or in bulk), act on schedules, drain and resume an instance, migrate the database. Every command takes --help.
 * Exit codes: 0 done, 1 the job failed or was cancelled, 2 bad usage or configuration, 3 the
 * service refused or could not be reached.
 */
import { runCli } from './cli/runCli.js'

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
})
