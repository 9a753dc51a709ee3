/**
 * Configuration: defaults, every variable parsed, bad values refused with a ConfigError naming the
 * variable, and the process itself refusing to start (exit code 2) with that name on stderr.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { ConfigError, loadConfig } from '../src/config.js'
import { projectRoot } from '../src/support/projectRoot.js'
import { procfileWebCommand } from './support/process.js'

const SECRET = 'a-secret-that-is-at-least-32-bytes-long'

/** `actual` has every field of `expected` (recursively for plain objects); other fields are not looked at. */
function assertIncludes(actual: object, expected: Record<string, unknown>): void {
  const pick = (value: unknown, shape: unknown): unknown =>
    shape !== null && typeof shape === 'object' && !Array.isArray(shape) && value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(shape).map(([key, sub]) => [key, pick((value as Record<string, unknown>)[key], sub)]),
        )
      : value
  assert.deepEqual(pick(actual, expected), expected)
}

describe('loadConfig', () => {
  it('has the defaults of DESIGN.md', () => {
    const config = loadConfig({})
    assertIncludes(config, {
      port: 3000,
      databaseUrl: undefined,
      databaseSchema: 'job_runner',
      dataDir: path.resolve('./.data'),
      jwt: {
        secret: undefined,
        publicKey: undefined,
        jwksUrl: undefined,
        issuer: undefined,
        audience: 'job-runner',
        jwksTimeoutMs: 5_000,
      },
      concurrency: 10,
      localQueueSize: 2_000,
      queues: ['default'],
      shutdownGraceMs: 25_000,
      cancelGraceMs: 30_000,
      checkpointIntervalMs: 5_000,
      leaseMs: 30_000,
      pollIntervalMs: 1_000,
      retryBaseMs: 1_000,
      retentionMs: 168 * 3600 * 1000,
      bulkBatchSize: 500,
      maxBodyBytes: 1024 * 1024,
      longPollsPerOwner: 50,
      logLevel: 'info',
    })
  })

  it('parses every variable', () => {
    const publicKey = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----'
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://user:pw@db.example:5432/jobs',
      DATA_DIR: '/tmp/somewhere',
      JWT_SECRET: SECRET,
      JWT_PUBLIC_KEY: publicKey,
      JWT_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://issuer.example',
      JWT_AUDIENCE: 'my-audience',
      CONCURRENCY: '42',
      QUEUES: 'default, mail ,reports',
      SHUTDOWN_GRACE_SECONDS: '12.5',
      CHECKPOINT_INTERVAL_SECONDS: '0.5',
      LEASE_SECONDS: '60',
      POLL_INTERVAL_MS: '250',
      RETRY_BASE_MS: '0',
      MAX_BODY_BYTES: '2048',
      LOG_LEVEL: 'debug',
      JWT_JWKS_TIMEOUT_MS: '750',
      LOCAL_QUEUE_SIZE: '0',
      CANCEL_GRACE_SECONDS: '2.5',
      JOB_RETENTION_HOURS: '0.5',
      BULK_BATCH_SIZE: '10000',
      LONG_POLLS_PER_OWNER: '3',
    })
    assertIncludes(config, {
      port: 8080,
      databaseUrl: 'postgres://user:pw@db.example:5432/jobs',
      dataDir: '/tmp/somewhere',
      jwt: {
        secret: SECRET,
        publicKey,
        jwksUrl: 'https://issuer.example/.well-known/jwks.json',
        issuer: 'https://issuer.example',
        audience: 'my-audience',
        jwksTimeoutMs: 750,
      },
      concurrency: 42,
      localQueueSize: 0,
      cancelGraceMs: 2_500,
      retentionMs: 1_800_000,
      bulkBatchSize: 10_000,
      longPollsPerOwner: 3,
      queues: ['default', 'mail', 'reports'],
      shutdownGraceMs: 12_500,
      checkpointIntervalMs: 500,
      leaseMs: 60_000,
      pollIntervalMs: 250,
      retryBaseMs: 0,
      maxBodyBytes: 2048,
      logLevel: 'debug',
    })
  })

  it('accepts postgresql:// and treats blank values as unset', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://localhost/x' }).databaseUrl, 'postgresql://localhost/x')
    const config = loadConfig({ PORT: '', DATABASE_URL: '  ', CONCURRENCY: ' ' })
    assert.equal(config.port, 3000)
    assert.equal(config.databaseUrl, undefined)
    assert.equal(config.concurrency, 10)
  })

  it('reads DATABASE_SCHEMA, job_runner by default', () => {
    assert.equal(loadConfig({}).databaseSchema, 'job_runner')
    assert.equal(loadConfig({ DATABASE_SCHEMA: 'app_jobs' }).databaseSchema, 'app_jobs')
  })

  it('reads DATABASE_POOLING and DATABASE_DIRECT_URL: none without a direct URL, transaction with one', () => {
    const pooled = 'postgres://app:pw@pooler.example:6432/jobs'
    const direct = 'postgres://app:pw@db.example:5432/jobs'
    assertIncludes(loadConfig({}), { databasePooling: 'none', databaseDirectUrl: undefined })
    assertIncludes(loadConfig({ DATABASE_URL: direct }), { databasePooling: 'none', databaseDirectUrl: undefined })
    assertIncludes(loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct }), {
      databaseUrl: pooled,
      databaseDirectUrl: direct,
      databasePooling: 'transaction',
    })
    for (const mode of ['none', 'session', 'transaction'] as const) {
      assert.equal(
        loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct, DATABASE_POOLING: mode.toUpperCase() })
          .databasePooling,
        mode,
      )
    }
    assert.equal(loadConfig({ DATABASE_URL: pooled, DATABASE_POOLING: 'session' }).databasePooling, 'session')
  })

  it('refuses a pooling setting it cannot honour, naming the variable to fix and never the URL', () => {
    const pooled = 'postgres://app:hunter2@pooler.example:6432/jobs'
    const cases: [env: Record<string, string>, variable: string, says: RegExp][] = [
      [{ DATABASE_URL: pooled, DATABASE_POOLING: 'transaction' }, 'DATABASE_DIRECT_URL', /LISTEN and migrations/],
      [{ DATABASE_URL: pooled, DATABASE_POOLING: 'statement' }, 'DATABASE_POOLING', /statement pooling cannot run/],
      [{ DATABASE_DIRECT_URL: pooled }, 'DATABASE_DIRECT_URL', /unset without DATABASE_URL/],
      [{ DATABASE_POOLING: 'transaction' }, 'DATABASE_POOLING', /embedded database has no pooler/],
      [
        { DATABASE_URL: pooled, DATABASE_DIRECT_URL: 'mysql://root:hunter2@db/x' },
        'DATABASE_DIRECT_URL',
        /postgres:\/\//,
      ],
    ]
    for (const [env, variable, says] of cases) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`)
          assert.equal(error.variable, variable)
          assert.match(error.message, says)
          assert.ok(!error.message.includes('hunter2'), error.message)
          return true
        },
      )
    }
  })

  it('freezes the configuration', () => {
    const config = loadConfig({})
    assert.ok(Object.isFrozen(config))
    assert.ok(Object.isFrozen(config.jwt))
    assert.ok(Object.isFrozen(config.queues))
    assert.throws(() => {
      ;(config as { port: number }).port = 1
    }, TypeError)
  })

  it('reads QUEUE_LIMITS: concurrency and rate limits per queue, none by default', () => {
    assert.deepEqual(loadConfig({}).queueLimits, [])
    const limits = {
      mail: { concurrency: { perKey: 2, total: 10 } },
      api: { rateLimit: { limit: 10, periodMs: 1000, burst: 3, key: true } },
    }
    assert.deepEqual(loadConfig({ QUEUE_LIMITS: JSON.stringify(limits) }).queueLimits, [
      { queue: 'api', perKey: null, total: null, intervalMs: 100, toleranceMs: 200, rateByKey: true },
      { queue: 'mail', perKey: 2, total: 10, intervalMs: null, toleranceMs: null, rateByKey: false },
    ])
  })

  it('refuses bad QUEUE_LIMITS naming the variable, the queue and the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ mail: { concurrency: { perKey: 0 } } }, /queue mail: concurrency\.perKey must be a positive integer, not 0/],
      [{ mail: { concurrency: { total: -1 } } }, /queue mail: concurrency\.total must be a positive integer/],
      [{ api: { rateLimit: { periodMs: 1000 } } }, /queue api: rateLimit\.limit is required/],
      [
        { api: { rateLimit: { limit: 0, periodMs: 1000 } } },
        /queue api: rateLimit\.limit must be a positive integer, not 0/,
      ],
      [{ api: { rateLimit: { limit: 1, periodMs: 0 } } }, /queue api: rateLimit\.periodMs must be/],
      [{ api: { throttle: 1 } }, /queue api: throttle is not a queue limit/],
      [{ 'not ok': {} }, /queue names of/],
      [[1], /a JSON object from queue name/],
    ]
    for (const [value, message] of cases) {
      assert.throws(
        () => loadConfig({ QUEUE_LIMITS: JSON.stringify(value) }),
        (error: unknown) =>
          error instanceof ConfigError && error.variable === 'QUEUE_LIMITS' && message.test(error.message),
        JSON.stringify(value),
      )
    }
  })

  const bad: [variable: string, value: string][] = [
    ['QUEUE_LIMITS', '{not json'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['CONCURRENCY', '0'],
    ['CONCURRENCY', 'ten'],
    ['JWT_SECRET', 'too-short'],
    ['JWT_PUBLIC_KEY', 'not a pem'],
    ['JWT_JWKS_URL', 'ftp://issuer.example/jwks'],
    ['DATABASE_URL', 'mysql://root@localhost/db'],
    ['DATABASE_URL', 'not a url'],
    ['SHUTDOWN_GRACE_SECONDS', '-1'],
    ['SHUTDOWN_GRACE_SECONDS', '0'],
    ['CHECKPOINT_INTERVAL_SECONDS', 'often'],
    ['LEASE_SECONDS', '0'],
    ['POLL_INTERVAL_MS', '5'],
    ['RETRY_BASE_MS', '-10'],
    ['MAX_BODY_BYTES', '10'],
    ['QUEUES', 'ok,not ok'],
    ['QUEUES', ' , '],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_SCHEMA', 'Jobs'],
    ['DATABASE_SCHEMA', 'jobs; drop table x'],
    ['DATABASE_SCHEMA', 'pg_jobs'],
    ['EVENT_STREAMS_PER_OWNER', '0'],
    ['EVENT_HEARTBEAT_SECONDS', 'never'],
    ['WEBHOOK_SECRET', 'whsec_c2hvcnQ='],
    ['WEBHOOK_SECRET', 'no-prefix-at-all-but-long-enough-to-pass'],
    ['WEBHOOK_ALLOW_HTTP', 'maybe'],
    ['WEBHOOK_ALLOWED_HOSTS', '127.0.0.1,not a host'],
    ['WEBHOOK_RETRY_SCALE', '0'],
    ['JWT_JWKS_TIMEOUT_MS', '50'],
    ['LOCAL_QUEUE_SIZE', '-1'],
    ['CANCEL_GRACE_SECONDS', 'soon'],
    ['JOB_RETENTION_HOURS', '0'],
    ['BULK_BATCH_SIZE', '0'],
    ['BULK_BATCH_SIZE', '10001'],
    ['LONG_POLLS_PER_OWNER', '0'],
  ]
  for (const [variable, value] of bad) {
    it(`refuses ${variable}=${JSON.stringify(value)}, naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`)
          assert.equal(error.variable, variable)
          assert.ok(error.message.includes(variable), error.message)
          assert.ok(error.accepts.length > 0)
          return true
        },
      )
    })
  }

  it('never echoes a secret or a database URL in its message', () => {
    for (const [variable, value] of [
      ['JWT_SECRET', 'short-but-secret'],
      ['DATABASE_URL', 'mysql://root:hunter2@localhost/db'],
      ['WEBHOOK_SECRET', 'whsec_short-but-secret'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          !error.message.includes('hunter2') &&
          !error.message.includes('short-but-secret'),
      )
    }
  })
})

describe('event streams and webhooks', () => {
  it('default to 20 streams, 15 s heartbeats, https only, no allowed private hosts, no callback secret', () => {
    const config = loadConfig({})
    assert.equal(config.eventStreamsPerOwner, 20)
    assert.equal(config.eventHeartbeatMs, 15_000)
    assert.deepEqual(config.webhooks, { secret: undefined, allowHttp: false, allowedHosts: [], retryScale: 1 })
  })

  it('parse their variables', () => {
    const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`
    const config = loadConfig({
      EVENT_STREAMS_PER_OWNER: '3',
      EVENT_HEARTBEAT_SECONDS: '0.5',
      WEBHOOK_SECRET: secret,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, ::1 ,hooks.internal',
      WEBHOOK_RETRY_SCALE: '0.001',
    })
    assert.equal(config.eventStreamsPerOwner, 3)
    assert.equal(config.eventHeartbeatMs, 500)
    assert.deepEqual(config.webhooks, {
      secret,
      allowHttp: true,
      allowedHosts: ['127.0.0.1', '::1', 'hooks.internal'],
      retryScale: 0.001,
    })
  })
})

describe('HOST and DATABASE_CONNECT_TIMEOUT_SECONDS', () => {
  it('default to every IPv4 interface and 5 s', () => {
    assertIncludes(loadConfig({}), { host: '0.0.0.0', databaseConnectTimeoutMs: 5_000 })
  })

  it('take an address or a hostname, and a number of seconds', () => {
    const config = loadConfig({ HOST: '127.0.0.1', DATABASE_CONNECT_TIMEOUT_SECONDS: '0.5' })
    assertIncludes(config, { host: '127.0.0.1', databaseConnectTimeoutMs: 500 })
    assertIncludes(loadConfig({ HOST: '::' }), { host: '::' })
    assertIncludes(loadConfig({ HOST: 'localhost' }), { host: 'localhost' })
  })

  it('refuse a value that is neither, naming the variable', () => {
    const bad = [
      ['HOST', 'http://0.0.0.0'],
      ['HOST', 'a host'],
      ['DATABASE_CONNECT_TIMEOUT_SECONDS', '0'],
    ] as const
    for (const [variable, value] of bad) {
      const names = (error: unknown) => error instanceof ConfigError && error.variable === variable
      assert.throws(() => loadConfig({ [variable]: value }), names)
    }
  })
})

describe('starting the process with a bad variable', () => {
  it('exits with code 2 and names the variable on stderr', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, procfileWebCommand().slice(1), {
      cwd: projectRoot(),
      env: { PATH: process.env.PATH, CONCURRENCY: '0', DATA_DIR: path.join(projectRoot(), '.data-never-created') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let stdout = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    const [code] = (await once(child, 'exit')) as [number | null]
    assert.equal(code, 2, `exit code (stderr: ${stderr})`)
    assert.match(stderr, /CONCURRENCY/)
    assert.match(stderr, /cannot start/)
    assert.doesNotMatch(stderr, /\n\s+at /, 'a message, not a stack trace')
    assert.equal(stdout, '')
  })
})
