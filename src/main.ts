/**
 * The process: configuration → service → signal handlers. SIGTERM and SIGINT start the same
 * graceful shutdown; repeated signals (Heroku sends several) change nothing.
 */
import { ConfigError, loadConfig, type Config } from './config.js'
import { DataDirLockedError } from './db/embedded.js'
import { coerceError, createLogger } from './log.js'
import { startService } from './service.js'

let config: Config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(`job-runner cannot start: ${error.message}`)
  process.exit(2)
}

const log = createLogger({ level: config.logLevel })

// A signal during start-up is held until the service exists, then starts the same shutdown:
// jobs claimed in that window are requeued rather than left to lease expiry.
let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
  pendingSignal ??= signal
}
let pendingSignal: NodeJS.Signals | undefined
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onSignal(signal))

try {
  const service = await startService({ config, log, exit: (code) => process.exit(code) })
  log.info({ url: service.url, instanceId: service.runner.instanceId, concurrency: config.concurrency, queues: config.queues }, 'job-runner listening')
  if (service.devToken) {
    // The design asks for a ready token on a bare machine; it is printed once, never logged.
    process.stdout.write(
      `\njob-runner is listening on ${service.url} (embedded database in ${config.dataDir})\n` +
        `development token (sub "dev", every scope, 24 h):\n\n  ${service.devToken}\n\n` +
        `try: curl -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"type":"count","payload":{"to":10,"stepMs":500}}' ${service.url}/v1/jobs\n\n`,
    )
  }
  onSignal = (signal) => {
    if (service.lifecycle.isShuttingDown()) return
    log.info({ signal, graceMs: config.shutdownGraceMs }, `received ${signal}: shutting down`)
    void service.lifecycle.shutdown(signal)
  }
  if (pendingSignal) onSignal(pendingSignal)
  process.on('unhandledRejection', (reason) => log.error({ err: coerceError(reason) }, 'unhandled rejection'))
  process.on('uncaughtException', (error) => {
    // The runs blamed for it fail their attempt; the others are interrupted and refunded as usual.
    const blamedJobIds = service.lifecycle.isShuttingDown() ? [] : service.runner.blameCrash(error)
    log.fatal({ err: error, blamedJobIds }, 'uncaught exception: shutting down')
    void service.lifecycle.shutdown('uncaught exception', { failed: true })
  })
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(`job-runner cannot start: ${error.message}`)
    process.exit(2)
  }
  log.fatal({ err: coerceError(error) }, 'job-runner failed to start')
  process.exit(1)
}
