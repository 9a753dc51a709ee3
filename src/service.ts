/**
 * Starts the whole service in order: job registry → database → migrations → lifecycle → HTTP
 * server → runner, and hands back what tests and `main` need to drive it. `main.ts` adds the signal
 * handlers and the process exit; tests start it in-process on an ephemeral port.
 *
 * The port is bound before the runner claims anything, so a port in use fails start-up with no job
 * claimed; a failure or an abort (`signal`) before the runner starts closes what was opened.
 */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import type { Hono } from 'hono'
import { serve } from '@hono/node-server'
import type { Logger } from 'pino'
import { loadJobRegistry, type JobRegistry } from '../jobs/registry.js'
import { createApp } from './app.js'
import { ensureDevSecret, mintToken } from './auth/devToken.js'
import { BulkActionService } from './bulk/bulkActionService.js'
import { BulkActionStore } from './bulk/bulkActionStore.js'
import { BulkActionWorker } from './bulk/bulkActionWorker.js'
import { createTokenVerifier, type TokenVerifier } from './auth/tokenVerifier.js'
import { JobEventHub } from './events/jobEventHub.js'
import { cachedTokenVerifier } from './auth/tokenCache.js'
import { ConfigError, type Config } from './config.js'
import { ensureWritableDataDir, openDatabase } from './db/connect.js'
import type { Database } from './db/database.js'
import { migrate } from './db/migrate.js'
import { jitWarning } from './db/pooling.js'
import { answerClientError } from './http/clientError.js'
import { OpenApiSpec } from './http/openapi.js'
import { instanceWork } from './instanceWork.js'
import { Lifecycle } from './lifecycle.js'
import { coerceError } from './log.js'
import { ServiceMetrics } from './observability/metrics.js'
import { Signals } from './observability/signals.js'
import { JobService } from './queue/jobService.js'
import { Notifier } from './queue/notifier.js'
import { PauseBoard } from './queue/pauses.js'
import { PauseService } from './queue/pauseService.js'
import { PauseStore } from './queue/pauseStore.js'
import { JobStore } from './queue/store.js'
import { Runner, runnerConfigFrom } from './runner/runner.js'
import { Scheduler } from './schedules/scheduler.js'
import { ScheduleService } from './schedules/scheduleService.js'
import { ScheduleStore } from './schedules/store.js'
import { abortable, StartAbortedError, StartupError, throwIfStartAborted } from './startupError.js'
import { withTimeout } from './support/withTimeout.js'
import { AddressGuard } from './webhooks/addressGuard.js'
import { WebhookService } from './webhooks/webhookService.js'
import { WebhookStore } from './webhooks/webhookStore.js'
import { WebhookWorker } from './webhooks/webhookWorker.js'

export interface ServiceOptions {
  config: Config
  log: Logger
  /** Called when a shutdown completes; `main` exits the process here. */
  exit?: (code: number) => void
  /** Overrides the jobs/ folder (tests add their own job files). */
  registry?: JobRegistry
  /**
   * Aborts start-up (SIGINT/SIGTERM before the service exists): `startService` then rejects with
   * `StartAbortedError` at once and closes what it opened. Once the runner starts it is not read:
   * a signal from then on belongs to the graceful shutdown.
   */
  signal?: AbortSignal
}

export interface Service {
  /** Where this machine reaches the server: the bound address, or loopback when bound to every interface. */
  readonly url: string
  /** The address the server is bound to (`HOST`). */
  readonly host: string
  readonly port: number
  readonly db: Database
  readonly store: JobStore
  readonly jobs: JobService
  readonly runner: Runner
  readonly schedules: ScheduleService
  /** Fires due schedules; started and stopped with the runner. */
  readonly scheduler: Scheduler
  /** Works bulk actions beside the runner (started and stopped with it). */
  readonly bulkWorker: BulkActionWorker
  /** Delivers completion webhooks beside the runner (started and stopped with it). */
  readonly webhookWorker: WebhookWorker
  readonly lifecycle: Lifecycle
  readonly metrics: ServiceMetrics
  /** Feeds this instance's event streams. */
  readonly eventHub: JobEventHub
  /** Set when a development secret was generated or reused: a ready-to-use admin token. */
  readonly devToken: string | undefined
  /** The Hono app (tests enumerate its routes against openapi.yaml). */
  readonly app: Hono
}

/** The reconnect delay an event stream's client is told when the instance drains or stops. */
const EVENT_STREAM_RETRY_MS = 1000

/** How long an aborted start-up spends closing what it opened (main leaves at 800 ms regardless). */
const ABORTED_CLOSE_BUDGET_MS = 400

export async function startService({ config, log, exit, registry, signal }: ServiceOptions): Promise<Service> {
  throwIfStartAborted(signal)
  // A broken job file or an unwritable DATA_DIR is found before any connection is made.
  const jobRegistry = registry ?? (await loadJobRegistry(config.jobsDir))
  if (config.databaseUrl === undefined) await ensureWritableDataDir(config.dataDir)
  const jwt = await resolveJwtConfig(config)
  const verifyToken: TokenVerifier = cachedTokenVerifier(createTokenVerifier({ ...config.jwt, secret: jwt.secret }))
  const spec = OpenApiSpec.load()

  const connectTimeoutMs = config.databaseConnectTimeoutMs
  const db = await openDatabase({ ...config, connectTimeoutMs, ...(signal ? { signal } : {}) })
  // What is open so far, closed in reverse order if start-up fails or is aborted before the runner starts.
  const opened: (() => Promise<unknown>)[] = [() => db.close({ timeoutSeconds: 0 })]
  // An aborted start-up (a signal) closes within a budget: the process is about to exit anyway.
  const closeOpened = async (error: unknown): Promise<void> => {
    const closing = (async () => {
      for (const close of opened.reverse()) await close().catch(() => {})
    })()
    await withTimeout(closing, error instanceof StartAbortedError ? ABORTED_CLOSE_BUDGET_MS : Infinity).catch(() => {})
  }
  try {
    await abortable(migrate(db), signal)
  } catch (error) {
    await closeOpened(error)
    throw error
  }
  log.info({ database: db.description }, 'database ready')
  const jit = await jitWarning(db.sql, config.databasePooling).catch(() => undefined)
  if (jit !== undefined) log.warn({ variable: 'DATABASE_POOLING' }, jit)
  // Made before what it carries starts (notifier.start below): the store announces stored log lines.
  const notifier = new Notifier(db)
  // The webhook worker is made later, beside the runner; a delivery queued before then waits for its first look.
  let deliveriesQueued = (): void => {}
  const store = new JobStore(db.sql, db.schema, false, {
    onJobLogsAppended: (jobIds) => {
      for (const id of jobIds) notifier.announce('jobLogged', id)
    },
    onDeliveriesQueued: () => deliveriesQueued(),
  })
  const scheduleStore = new ScheduleStore(db.sql, db.schema)
  try {
    // Before anything fires: the code's schedules are the stored ones (see src/schedules/store.ts).
    const synced = await abortable(scheduleStore.syncCodeSchedules(jobRegistry.schedules), signal)
    if (synced.upserted.length + synced.removed.length > 0) log.info(synced, 'schedules declared in code synced')
    for (const id of synced.conflicts) {
      log.warn(
        { schedule: id },
        'a schedule declared in code has the id of a schedule made over HTTP; the code one is ignored',
      )
    }
  } catch (error) {
    await closeOpened(error)
    throw error
  }
  opened.push(() => notifier.stop())
  try {
    await abortable(notifier.start(), signal)
  } catch (error) {
    await closeOpened(error)
    throw error
  }
  const pauseStore = new PauseStore(db.sql, db.schema)
  const pauseBoard = new PauseBoard({
    store: pauseStore,
    notifier,
    onError: (error) => log.warn({ err: error }, 'pauses: read failed'),
  })
  opened.push(() => pauseBoard.stop())
  try {
    await abortable(pauseBoard.start(), signal)
  } catch (error) {
    await closeOpened(error)
    throw error
  }
  const signals = new Signals({
    db,
    store,
    notifier,
    pauses: pauseBoard,
    registry: jobRegistry,
    queues: config.queues,
    queueLimits: config.queueLimits,
    leaseMs: config.leaseMs,
    onError: (error, during) => log.warn({ err: coerceError(error), during }, `signals: ${during} failed`),
  })
  // The runner, made below, may start an enqueue's jobs at once (src/runner/localStarts.ts).
  const jobs = new JobService(
    store,
    jobRegistry,
    notifier,
    signals.view,
    { allowHttp: config.webhooks.allowHttp, signingSecretSet: config.webhooks.secret !== undefined },
    () => runner,
  )
  const schedules = new ScheduleService(scheduleStore, jobRegistry, jobs, notifier)
  const eventHub = new JobEventHub(
    {},
    { jobs, notifier, onError: (error) => log.warn({ err: coerceError(error) }, 'event streams: a read failed') },
  )
  opened.push(async () => eventHub.stop())

  let lifecycle: Lifecycle | undefined
  const runner = new Runner(runnerConfigFrom(config), {
    store,
    notifier,
    registry: jobRegistry,
    log,
    mayClaim: () => lifecycle?.mayClaim() ?? false,
    onProgress: signals.onProgress,
    pauses: pauseBoard,
  })
  const scheduler = new Scheduler(
    {},
    { store: scheduleStore, jobs, notifier, mayFire: () => lifecycle?.mayClaim() ?? false, log },
  )
  opened.push(() => signals.stop())
  try {
    await abortable(signals.start(runner.events), signal)
  } catch (error) {
    await closeOpened(error)
    throw error
  }

  const bulkStore = new BulkActionStore(db.sql, db.schema)
  const bulkWorker = new BulkActionWorker(
    {
      instanceId: runner.instanceId,
      leaseMs: config.leaseMs,
      batchSize: config.bulkBatchSize,
      pollIntervalMs: config.pollIntervalMs,
    },
    { store: bulkStore, announce: jobs, log, mayWork: () => lifecycle?.mayClaim() ?? false },
  )
  const bulkActions = new BulkActionService(bulkStore, bulkWorker)
  const webhookStore = new WebhookStore(db.sql, db.schema)
  const webhookWorker = new WebhookWorker(
    {
      instanceId: runner.instanceId,
      leaseMs: config.leaseMs,
      pollIntervalMs: config.pollIntervalMs,
      callbackSecret: config.webhooks.secret,
      guard: new AddressGuard(config.webhooks.allowedHosts),
      retryScale: config.webhooks.retryScale,
    },
    { store: webhookStore, log, mayWork: () => lifecycle?.mayClaim() ?? false },
  )
  // An outcome written here put deliveries in the outbox: look now (other instances poll).
  deliveriesQueued = () => webhookWorker.wake()
  const webhooks = new WebhookService(webhookStore, { allowHttp: config.webhooks.allowHttp })
  // What the lifecycle starts and stops: the runner, the scheduler, the bulk action and webhook workers.
  const work = instanceWork(runner, { stopFirst: [scheduler], stopBeside: [bulkWorker, webhookWorker] })

  let server: Server | undefined
  lifecycle = new Lifecycle({
    runner: work,
    log,
    shutdownGraceMs: config.shutdownGraceMs,
    closeResources: async (budgetMs) => {
      const deadline = Date.now() + budgetMs
      eventHub.stop()
      await closeServer(server, Math.min(budgetMs, 1000))
      // The helpers' stops wait for their work in flight (the pause board's periodic read, the progress
      // relay's write, the notifier's watch messages and unlistens). A database that stopped answering,
      // or a driver that left a query unanswered after an outage (one it wrote to a connection it had
      // already closed: src/db/driverFault.ts), would hold them until the grace guard exits 1
      // (test/process/hungDatabase.test.ts freezes the connections: the notifier's unlistens wait).
      // So the helpers get what is left but up to a second for the database, whose close ends every
      // connection and with them every query still waiting.
      const left = () => Math.max(0, deadline - Date.now())
      const helpersStopped = (async () => {
        await signals.stop()
        await pauseBoard.stop()
        await notifier.stop()
      })()
      await withTimeout(helpersStopped, Math.max(0, left() - Math.min(1000, left() / 2))).catch((error: unknown) =>
        log.warn({ err: coerceError(error) }, 'shutdown: a helper did not stop in time; closing the database anyway'),
      )
      // Half a second kept back: the close's own ending of the connections, then the exit.
      await db.close({ timeoutSeconds: Math.max(0, (left() - 500) / 1000) })
    },
    ...(exit ? { exit } : {}),
  })

  const metrics = new ServiceMetrics({
    runner,
    scheduler,
    lifecycle,
    jobs,
    log,
    concurrency: config.concurrency,
    labels: signals.labels,
    queueDepth: () => signals.queueDepth(),
  })
  lifecycle.events.on('lifecycle:stopped', () => metrics.stop())
  // Streams end as the instance stops taking work, long before the grace deadline, each told when
  // to reconnect: an EventSource then resumes on another instance from its Last-Event-ID.
  lifecycle.events.on('lifecycle:state', ({ state }) => {
    if (state === 'draining' || state === 'stopping') eventHub.endAll(EVENT_STREAM_RETRY_MS)
  })
  const app = createApp({
    jobs,
    bulkActions,
    schedules,
    registry: jobRegistry,
    lifecycle,
    instance: {
      instanceId: runner.instanceId,
      concurrency: config.concurrency,
      queues: config.queues,
      database: db.capabilities.sharedAcrossProcesses ? 'postgres' : 'embedded',
      runningJobIds: () => runner.runningJobIds,
    },
    verifyToken,
    spec,
    log,
    maxBodyBytes: config.maxBodyBytes,
    longPollsPerOwner: config.longPollsPerOwner,
    pingDatabase: () => store.ping(),
    eventHub,
    webhooks,
    eventStreamsPerOwner: config.eventStreamsPerOwner,
    eventHeartbeatMs: config.eventHeartbeatMs,
    metrics,
    queueOverview: () => signals.queueOverview(),
    pauses: new PauseService({
      store: pauseStore,
      board: pauseBoard,
      notifier,
      isKnownType: (type) => jobRegistry.get(type) !== undefined,
      isKnownQueue: (queue) => signals.isKnownQueue(queue, pauseStore),
    }),
  })

  opened.push(async () => metrics.stop())
  let port: number
  try {
    throwIfStartAborted(signal)
    const listening = await abortable(listen(app, config), signal, (late) => closeServer(late.server, 0))
    port = listening.port
    server = listening.server
    opened.push(() => closeServer(listening.server, 0))
    // The last moment a signal aborts start-up; from here on it belongs to the graceful shutdown.
    throwIfStartAborted(signal)
    await work.start()
  } catch (error) {
    await closeOpened(error)
    throw error
  }

  const devToken = jwt.generated
    ? await mintToken({
        secret: jwt.secret!,
        sub: 'dev',
        audience: config.jwt.audience,
        ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
      })
    : undefined
  const url = localUrl(config.host, port)
  return {
    url,
    host: config.host,
    port,
    db,
    store,
    jobs,
    runner,
    schedules,
    scheduler,
    bulkWorker,
    webhookWorker,
    lifecycle,
    metrics,
    eventHub,
    devToken,
    app,
  }
}

/** Binds `HOST:PORT`; a port in use or an address this machine lacks is a sentence naming the variable. */
async function listen(app: Hono, config: Config): Promise<{ server: Server; port: number }> {
  const { host } = config
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: host }, () => resolve(started)) as Server
    started.once('error', (error: NodeJS.ErrnoException) => reject(listenProblem(error, host, config.port)))
  })
  // Long-polls hold a request for up to 60 s; the default timeouts must not cut them.
  server.requestTimeout = 0
  server.headersTimeout = 30_000
  server.keepAliveTimeout = 5_000
  // Requests the HTTP parser refuses (oversized headers, malformed lines) get problem+json too.
  server.on('clientError', answerClientError)
  return { server, port: (server.address() as AddressInfo).port }
}

function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(
        'PORT',
        `PORT=${port} is in use on ${host}: another process listens there; stop it or choose another PORT`,
        { cause: error },
      )
    case 'EACCES':
      return new StartupError(
        'PORT',
        `PORT=${port} needs privileges this user lacks (ports below 1024); choose a port above 1023`,
        { cause: error },
      )
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        'HOST',
        `HOST=${host} is not an address of this machine (${error.code}); use 0.0.0.0 for every interface`,
        { cause: error },
      )
    default:
      return error
  }
}

/** A URL this machine can call: the bound address, or loopback when bound to every interface. */
function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`
  if (host === '::') return `http://[::1]:${port}`
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * With no JWT configuration the embedded mode generates a development secret; a real database with
 * no JWT configuration refuses to start, since anyone could then mint tokens.
 */
async function resolveJwtConfig(config: Config): Promise<{ secret: string | undefined; generated: boolean }> {
  const { secret, publicKey, jwksUrl } = config.jwt
  if (secret || publicKey || jwksUrl) return { secret, generated: false }
  if (config.databaseUrl !== undefined) {
    throw new ConfigError(
      'JWT_SECRET',
      'set (or JWT_PUBLIC_KEY / JWT_JWKS_URL) when DATABASE_URL is set; only the embedded database generates a development secret',
      '',
    )
  }
  return { secret: await ensureDevSecret(config.dataDir), generated: true }
}

/** Stops listening and closes idle keep-alive sockets; the answers still in flight may finish within `budgetMs`. */
async function closeServer(server: Server | undefined, budgetMs: number): Promise<void> {
  if (!server) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections()
      resolve()
    }, budgetMs)
    timer.unref()
    server.close(() => {
      clearTimeout(timer)
      resolve()
    })
    server.closeIdleConnections()
  })
}
