/**
 * Starts the whole service in order: database → migrations → job registry → runner → lifecycle →
 * HTTP server, and hands back what tests and `main` need to drive it. `main.ts` adds the signal
 * handlers and the process exit; tests start it in-process on an ephemeral port.
 */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import type { Hono } from 'hono'
import { serve } from '@hono/node-server'
import type { Logger } from 'pino'
import { loadJobRegistry, type JobRegistry } from '../jobs/registry.js'
import { createApp } from './app.js'
import { ensureDevSecret, mintToken } from './auth/devToken.js'
import { createTokenVerifier, type TokenVerifier } from './auth/tokenVerifier.js'
import { cachedTokenVerifier } from './auth/tokenCache.js'
import { ConfigError, type Config } from './config.js'
import { connectDatabase } from './db/connect.js'
import type { Database } from './db/database.js'
import { migrate } from './db/migrate.js'
import { answerClientError } from './http/clientError.js'
import { OpenApiSpec } from './http/openapi.js'
import { Lifecycle } from './lifecycle.js'
import { coerceError } from './log.js'
import { ServiceMetrics } from './observability/metrics.js'
import { Signals } from './observability/signals.js'
import { JobService } from './queue/jobService.js'
import { Notifier } from './queue/notifier.js'
import { JobStore } from './queue/store.js'
import { Runner, runnerConfigFrom } from './runner/runner.js'

export interface ServiceOptions {
  config: Config
  log: Logger
  /** Called when a shutdown completes; `main` exits the process here. */
  exit?: (code: number) => void
  /** Overrides the jobs/ folder (tests add their own job files). */
  registry?: JobRegistry
}

export interface Service {
  readonly url: string
  readonly port: number
  readonly db: Database
  readonly store: JobStore
  readonly jobs: JobService
  readonly runner: Runner
  readonly lifecycle: Lifecycle
  readonly metrics: ServiceMetrics
  /** Set when a development secret was generated or reused: a ready-to-use admin token. */
  readonly devToken: string | undefined
  /** The Hono app (tests enumerate its routes against openapi.yaml). */
  readonly app: Hono
}

export async function startService({ config, log, exit, registry }: ServiceOptions): Promise<Service> {
  const jwt = await resolveJwtConfig(config)
  const verifyToken: TokenVerifier = cachedTokenVerifier(createTokenVerifier({ ...config.jwt, secret: jwt.secret }))
  const spec = OpenApiSpec.load()

  const db = await connectDatabase(config)
  try {
    await migrate(db)
  } catch (error) {
    await db.close()
    throw error
  }
  log.info({ database: db.description }, 'database ready')
  const store = new JobStore(db.sql)
  const notifier = new Notifier(db)
  await notifier.start()
  const jobRegistry = registry ?? (await loadJobRegistry(config.jobsDir))
  const signals = new Signals({
    db, store, notifier, registry: jobRegistry, queues: config.queues, leaseMs: config.leaseMs,
    onError: (error, during) => log.warn({ err: coerceError(error), during }, `signals: ${during} failed`),
  })
  const jobs = new JobService(store, jobRegistry, notifier, signals.view)

  let lifecycle: Lifecycle | undefined
  const runner = new Runner(runnerConfigFrom(config), {
    store,
    notifier,
    registry: jobRegistry,
    log,
    mayClaim: () => lifecycle?.mayClaim() ?? false,
    onProgress: signals.onProgress,
  })
  await signals.start(runner.events)

  let server: Server | undefined
  lifecycle = new Lifecycle({
    runner,
    log,
    shutdownGraceMs: config.shutdownGraceMs,
    closeResources: async (budgetMs) => {
      await closeServer(server, Math.min(budgetMs, 1000))
      await signals.stop()
      await notifier.stop()
      await db.close({ timeoutSeconds: Math.max(0, (budgetMs - 1000) / 1000) })
    },
    ...(exit ? { exit } : {}),
  })

  const metrics = new ServiceMetrics({
    runner, lifecycle, jobs, log, concurrency: config.concurrency, labels: signals.labels,
    queueDepth: () => signals.queueDepth(),
  })
  lifecycle.events.on('lifecycle:stopped', () => metrics.stop())
  const app = createApp({
    jobs,
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
    metrics,
    queueOverview: () => signals.queueOverview(),
  })

  await runner.start()
  const port = await new Promise<number>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info: AddressInfo) => resolve(info.port)) as Server
    started.once('error', reject)
    server = started
  })
  // Long-polls hold a request for up to 60 s; the default timeouts must not cut them.
  server!.requestTimeout = 0
  server!.headersTimeout = 30_000
  server!.keepAliveTimeout = 5_000
  // Requests the HTTP parser refuses (oversized headers, malformed lines) get problem+json too.
  server!.on('clientError', answerClientError)

  const devToken = jwt.generated ? await mintToken({ secret: jwt.secret!, sub: 'dev', audience: config.jwt.audience, ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}) }) : undefined
  return { url: `http://127.0.0.1:${port}`, port, db, store, jobs, runner, lifecycle, metrics, devToken, app }
}

/**
 * With no JWT configuration the embedded mode generates a development secret; a real database with
 * no JWT configuration refuses to start, since anyone could then mint tokens.
 */
async function resolveJwtConfig(config: Config): Promise<{ secret: string | undefined; generated: boolean }> {
  const { secret, publicKey, jwksUrl } = config.jwt
  if (secret || publicKey || jwksUrl) return { secret, generated: false }
  if (config.databaseUrl !== undefined) {
    throw new ConfigError('JWT_SECRET', 'set (or JWT_PUBLIC_KEY / JWT_JWKS_URL) when DATABASE_URL is set; only the embedded database generates a development secret', '')
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
