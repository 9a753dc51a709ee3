/**
 * Starts the real service in this process on an ephemeral port against a test database, with a
 * known JWT secret, and gives back helpers to call it.
 */
import { loadConfig } from '../../src/config.js'
import { mintToken } from '../../src/auth/devToken.js'
import type { Scope } from '../../src/auth/scopes.js'
import { startService, type Service } from '../../src/service.js'
import type { JobRegistry } from '../../jobs/registry.js'
import { captureLogs, type CapturedLogs } from './logs.js'
import { holdDriverFaultSkip } from './driverFaults.js'
import type { TestDatabase } from './databases.js'

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!'
export const TEST_AUDIENCE = 'job-runner'

export interface TestService extends Service {
  readonly logs: CapturedLogs
  /** Resolves with the exit code the service asked for when its shutdown completed. */
  readonly exited: Promise<number>
  token(options?: { sub?: string; scopes?: Scope[]; ttlSeconds?: number }): Promise<string>
  /** fetch against the service with a bearer token for `sub` (default every scope). */
  request(
    path: string,
    init?: RequestInit & { sub?: string; scopes?: Scope[]; token?: string | null },
  ): Promise<Response>
  /** Shuts down (if not already) and waits for the exit. */
  close(): Promise<void>
}

export async function startTestService(
  database: TestDatabase,
  env: Record<string, string> = {},
  { registry }: { registry?: JobRegistry } = {},
): Promise<TestService> {
  const config = loadConfig({
    PORT: '0',
    JWT_SECRET: TEST_SECRET,
    CHECKPOINT_INTERVAL_SECONDS: '0.2',
    POLL_INTERVAL_MS: '200',
    RETRY_BASE_MS: '50',
    SHUTDOWN_GRACE_SECONDS: '5',
    LOG_LEVEL: 'debug',
    ...database.env,
    ...env,
  })
  const logs = captureLogs(config.logLevel)
  let resolveExit!: (code: number) => void
  const exited = new Promise<number>((resolve) => (resolveExit = resolve))
  // As main.ts does for a server process, for as long as this service runs (driverFaults.ts).
  const releaseDriverFaultSkip = holdDriverFaultSkip()
  void exited.then(releaseDriverFaultSkip)
  let service: Service
  try {
    service = await startService({ config, log: logs.log, exit: resolveExit, ...(registry ? { registry } : {}) })
  } catch (error) {
    releaseDriverFaultSkip()
    throw error
  }
  const token = ({ sub = 'alice', scopes, ttlSeconds }: { sub?: string; scopes?: Scope[]; ttlSeconds?: number } = {}) =>
    mintToken({
      secret: TEST_SECRET,
      sub,
      audience: config.jwt.audience,
      ...(scopes ? { scopes } : {}),
      ...(ttlSeconds ? { ttlSeconds } : {}),
    })
  return {
    ...service,
    url: service.url,
    logs,
    exited,
    token,
    async request(path, { sub, scopes, token: given, ...init } = {}) {
      const headers = new Headers(init.headers)
      const bearer =
        given === undefined ? await token({ ...(sub ? { sub } : {}), ...(scopes ? { scopes } : {}) }) : given
      if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`)
      if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json')
      return fetch(service.url + path, { ...init, headers })
    },
    async close() {
      void service.lifecycle.shutdown('test')
      await exited
    },
  }
}
