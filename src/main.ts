/**
 * The process: configuration → service → signal handlers. SIGTERM and SIGINT start the same
 * graceful shutdown; repeated signals (Heroku sends several) change nothing.
 *
 * Exit codes (README "Exit codes"): 0 a clean stop, 1 a start-up or run-time failure, 2 a bad or
 * unusable configuration value. A start-up failure an operator can fix is one sentence naming the
 * variable (text on a terminal, one JSON line otherwise), never a stack trace.
 *
 * Only light modules are imported up front, so the signal handlers are in place before the heavy
 * ones (the database drivers, the HTTP stack) load: a Ctrl-C at any moment of start-up is answered.
 */
import { ConfigError, loadConfig, type Config } from './config.js'
import type { Logger } from './log.js'
import { DRIVER_FAULT_SKIPPED, isDriverWriteAfterClose } from './db/driverFault.js'
import { StartAbortedError } from './startupError.js'
import { describeStartupFailure, EXIT_CODE, reportStartupFailure } from './startupReport.js'

let config: Config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  reportStartupFailure(describeStartupFailure(error)!, 'start')
  process.exit(EXIT_CODE.configuration)
}

/** How long an aborted start-up may take to close what it opened before the process leaves anyway. */
const ABORT_BUDGET_MS = 800

// A signal during start-up aborts it: what was opened is closed and the process exits at once, so
// Ctrl-C never waits for a database that does not answer. From the moment the runner starts, a
// signal is held until the service exists and then runs the graceful shutdown: jobs claimed in that
// window are requeued rather than left to lease expiry.
const startAbort = new AbortController()
let log: Logger | undefined
let abortTimer: NodeJS.Timeout | undefined
let pendingSignal: NodeJS.Signals | undefined
let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
  if (pendingSignal) return
  pendingSignal = signal
  if (!log) {
    // Still loading modules: nothing is open yet.
    reportStartupFailure(describeStartupFailure(new StartAbortedError(signal))!, 'start')
    process.exit(EXIT_CODE.ok)
  }
  log.info({ signal }, `received ${signal} during start-up: stopping`)
  startAbort.abort(signal)
  abortTimer = setTimeout(() => {
    log?.warn({ signal, budgetMs: ABORT_BUDGET_MS }, 'start-up did not stop in time: exiting now')
    process.exit(EXIT_CODE.failure)
  }, ABORT_BUDGET_MS)
  abortTimer.unref()
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onSignal(signal))

const [{ coerceError, createLogger }, { startService }] = await Promise.all([
  import('./log.js'),
  import('./service.js'),
])
log = createLogger({ level: config.logLevel })

try {
  const service = await startService({ config, log, exit: (code) => process.exit(code), signal: startAbort.signal })
  // The signal came after the runner started: the graceful shutdown below owns the exit now.
  clearTimeout(abortTimer)
  log.info(
    {
      url: service.url,
      host: service.host,
      port: service.port,
      // pino's own `pid` is hidden in a terminal; this one is shown, so `kill <pid>` is at hand.
      processId: process.pid,
      instanceId: service.runner.instanceId,
      concurrency: config.concurrency,
      queues: config.queues,
    },
    'job-runner listening',
  )
  const everywhere = service.host === '0.0.0.0' || service.host === '::'
  const bound = everywhere ? `every interface (HOST=${service.host})` : `HOST=${service.host}`
  if (service.devToken) {
    // The design asks for a ready token on a bare machine; it is printed once, never logged.
    process.stdout.write(
      `\njob-runner is listening on ${service.url}, bound to ${bound}, process ${process.pid} ` +
        `(embedded database in ${config.dataDir})\n` +
        `development token (sub "dev", every scope, 24 h):\n\n  ${service.devToken}\n\n` +
        `try: curl -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"type":"count","payload":{"to":10,"stepMs":500}}' ${service.url}/v1/jobs\n\n`,
    )
  }
  const running = log
  onSignal = (signal) => {
    if (service.lifecycle.isShuttingDown()) return
    running.info({ signal, graceMs: config.shutdownGraceMs }, `received ${signal}: shutting down`)
    void service.lifecycle.shutdown(signal)
  }
  if (pendingSignal) onSignal(pendingSignal)
  process.on('unhandledRejection', (reason) => running.error({ err: coerceError(reason) }, 'unhandled rejection'))
  process.on('uncaughtException', (error) => {
    if (isDriverWriteAfterClose(error)) {
      running.warn({ err: error }, DRIVER_FAULT_SKIPPED)
      return
    }
    // The runs blamed for it fail their attempt; the others are interrupted and refunded as usual.
    const blamedJobIds = service.lifecycle.isShuttingDown() ? [] : service.runner.blameCrash(error)
    running.fatal({ err: error, blamedJobIds }, 'uncaught exception: shutting down')
    void service.lifecycle.shutdown('uncaught exception', { failed: true })
  })
} catch (error) {
  const failure = describeStartupFailure(error)
  if (failure) {
    reportStartupFailure(failure, 'start')
    process.exit(failure.exitCode)
  }
  log.fatal({ err: coerceError(error) }, 'job-runner failed to start')
  process.exit(EXIT_CODE.failure)
}
