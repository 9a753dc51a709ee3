/**
 * Forged and misused tokens, against the real service in each of its key setups (HS256 secret,
 * RS256 public key, JWKS): every one is refused as RFC 6750 §3.1 says (401 with
 * `WWW-Authenticate: Bearer … error="invalid_token"` and problem+json), a JWKS endpoint that hangs
 * gives 503 with Retry-After inside its timeout, and no token or secret ever reaches a log line,
 * at LOG_LEVEL=debug and on the error paths too.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateKeyPairSync, createHmac } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { SignJWT, exportJWK, exportSPKI, type JWK, type JWTPayload } from 'jose'
import { pglite, type TestDatabase } from '../support/databases.js'
import { expectJson, expectProblem, goodClaims, signHs256 } from '../support/http.js'
import { TEST_SECRET, startTestService, type TestService } from '../support/service.js'

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/** A token signed by hand, so the header says whatever the attacker wants. */
function handSigned(header: Record<string, unknown>, claims: JWTPayload, key: string | Buffer | undefined): string {
  const signingInput = `${b64(header)}.${b64(claims)}`
  const signature = key === undefined ? '' : createHmac('sha256', key).update(signingInput).digest('base64url')
  return `${signingInput}.${signature}`
}

async function expectInvalidToken(response: Response): Promise<void> {
  const challenge = response.headers.get('www-authenticate') ?? ''
  await expectProblem(response, 401, 'invalid-token')
  assert.match(challenge, /^Bearer realm="[^"]*", error="invalid_token"/)
}

/** Every token a test sent; none of them, and no secret, may appear in any log line. */
function assertNothingSecretLogged(service: TestService, secrets: readonly string[]): void {
  assert.ok(service.logs.lines.length > 0, 'the service logged nothing: the check would be empty')
  for (const line of service.logs.lines) {
    for (const secret of secrets) {
      // The signature part alone is enough to leak a token.
      const needle = secret.includes('.') ? secret.split('.').at(-1)! || secret : secret
      if (needle.length < 8) continue
      assert.ok(!line.includes(needle), `a log line holds a token or secret: ${line.slice(0, 300)}`)
    }
  }
}

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()

describe('token attacks (HS256 secret)', () => {
  let database: TestDatabase
  let service: TestService
  const sent: string[] = []

  before(async () => {
    database = await pglite.create()
    service = await startTestService(database, { LOG_LEVEL: 'debug' })
  })
  after(async () => {
    await service?.close()
    await database?.cleanup()
  })

  async function refused(token: string): Promise<void> {
    sent.push(token)
    await expectInvalidToken(await service.request('/v1/jobs', { token }))
  }

  it('refuses alg none, with and without a signature, whatever the case of "none"', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await refused(handSigned({ alg, typ: 'JWT' }, goodClaims(), undefined))
      await refused(handSigned({ alg, typ: 'JWT' }, goodClaims(), TEST_SECRET))
    }
  })

  it('refuses an expired token, one not valid yet, and a wrong aud or iss', async () => {
    const now = Math.floor(Date.now() / 1000)
    await refused(await signHs256(goodClaims({ iat: now - 7200, exp: now - 3600 })))
    await refused(await signHs256(goodClaims({ nbf: now + 3600 })))
    await refused(await signHs256(goodClaims({ aud: 'someone-else' })))
    await refused(await signHs256(goodClaims({ aud: ['someone-else', 'another'] })))
    const issuerDatabase = await pglite.create()
    const withIssuer = await startTestService(issuerDatabase, { JWT_ISSUER: 'https://issuer.example' })
    try {
      const wrongIss = await signHs256(goodClaims({ iss: 'https://evil.example' }))
      const noIss = await signHs256(goodClaims())
      sent.push(wrongIss, noIss)
      await expectInvalidToken(await withIssuer.request('/v1/jobs', { token: wrongIss }))
      await expectInvalidToken(await withIssuer.request('/v1/jobs', { token: noIss }))
      await expectJson(
        await withIssuer.request('/v1/jobs', { token: await signHs256(goodClaims({ iss: 'https://issuer.example' })) }),
        200,
      )
      assertNothingSecretLogged(withIssuer, [...sent, TEST_SECRET])
    } finally {
      await withIssuer.close()
      await issuerDatabase.cleanup()
    }
  })

  it('refuses a token without exp, without sub, or with an empty or non-string sub', async () => {
    const { exp: _exp, ...noExp } = goodClaims()
    const { sub: _sub, ...noSub } = goodClaims()
    await refused(await signHs256(noExp))
    await refused(await signHs256(noSub))
    await refused(await signHs256(goodClaims({ sub: '' })))
    await refused(
      handSigned({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), sub: 42 as unknown as string }, TEST_SECRET),
    )
  })

  it('refuses the reserved sub system without admin (the owner of the schedules declared in code), admits it with admin', async () => {
    const reserved = await signHs256(goodClaims({ sub: 'system', scope: 'jobs:read jobs:write' }))
    await refused(reserved)
    const admin = await signHs256(goodClaims({ sub: 'system', scope: 'jobs:read jobs:write admin' }))
    sent.push(admin)
    await expectJson(await service.request('/v1/jobs', { token: admin }), 200)
  })

  it('refuses a token signed with another secret, a tampered payload, and garbage', async () => {
    await refused(await signHs256(goodClaims(), 'another-secret-that-is-at-least-32-bytes!'))
    const good = await signHs256(goodClaims())
    const [header, , signature] = good.split('.')
    await refused(`${header}.${b64(goodClaims({ sub: 'mallory' }))}.${signature}`)
    for (const garbage of [
      'a',
      'a.b',
      'a.b.c',
      '...',
      `${header}..`,
      'eyJhbGciOiJIUzI1NiJ9.e30.',
      '\u00e9t\u00e9.x.y',
    ]) {
      const response = await service.request('/v1/jobs', {
        headers: { authorization: `Bearer ${encodeURIComponent(garbage)}` },
        token: null,
      })
      await expectInvalidToken(response)
    }
  })

  it('refuses a 64 KiB token (401, or 431 from the HTTP parser) and keeps serving', async () => {
    const padding = 'x'.repeat(64 * 1024)
    const huge = await signHs256(goodClaims({ padding }))
    sent.push(huge)
    const response = await service.request('/v1/jobs', { token: huge })
    // Node's default header limit (16 KiB) may refuse it before the app: 431 is an answer too, a hang or a 5xx is not.
    if (response.status === 431) await response.body?.cancel()
    else await expectInvalidToken(response)
    // The service still answers afterwards.
    await expectJson(await service.request('/v1/jobs'), 200)
  })

  it('refuses tokens sent other ways than the Authorization header (no query, no cookie) with a bare 401 challenge', async () => {
    const good = await signHs256(goodClaims())
    sent.push(good)
    for (const headers of [
      { cookie: `token=${good}` },
      { authorization: `Basic ${b64('alice:pw')}` },
      { authorization: 'Bearer' },
    ] as Record<string, string>[]) {
      const response = await service.request(`/v1/jobs?access_token=${good}`, { headers, token: null })
      const challenge = response.headers.get('www-authenticate') ?? ''
      await expectProblem(response, 401, 'unauthorized')
      assert.match(challenge, /^Bearer /)
      assert.doesNotMatch(challenge, /error=/)
    }
  })

  it('never logs a token or the secret', () => {
    assertNothingSecretLogged(service, [...sent, TEST_SECRET])
  })
})

describe('token attacks (RS256 public key)', () => {
  let database: TestDatabase
  let service: TestService
  const sent: string[] = []

  before(async () => {
    database = await pglite.create()
    service = await startTestService(database, { JWT_SECRET: '', JWT_PUBLIC_KEY: publicPem })
  })
  after(async () => {
    await service?.close()
    await database?.cleanup()
  })

  it('accepts RS256 signed with the private key (the control)', async () => {
    const token = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)
    sent.push(token)
    await expectJson(await service.request('/v1/jobs', { token }), 200)
  })

  it('refuses HS256 signed with the public key (algorithm confusion), in PEM and in DER', async () => {
    const der = publicKey.export({ type: 'spki', format: 'der' })
    for (const key of [publicPem, Buffer.from(publicPem), der, await exportSPKI(publicKey)]) {
      const token = handSigned({ alg: 'HS256', typ: 'JWT' }, goodClaims(), key)
      sent.push(token)
      await expectInvalidToken(await service.request('/v1/jobs', { token }))
    }
  })

  it('refuses alg none and RS256 signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    for (const token of [
      handSigned({ alg: 'none' }, goodClaims(), undefined),
      await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256' }).sign(other),
      await new SignJWT(goodClaims({ exp: Math.floor(Date.now() / 1000) - 3600 }))
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey),
    ]) {
      sent.push(token)
      await expectInvalidToken(await service.request('/v1/jobs', { token }))
    }
  })

  it('never logs a token', () => {
    assertNothingSecretLogged(service, sent)
  })
})

describe('token attacks (JWKS)', () => {
  let database: TestDatabase
  let jwks: http.Server
  let jwksUrl: string
  let hanging: http.Server
  let hangingUrl: string
  const held: http.ServerResponse[] = []
  let jwk: JWK

  before(async () => {
    database = await pglite.create()
    jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }
    jwks = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [jwk] }))
    })
    hanging = http.createServer((_req, res) => {
      held.push(res) // never answered
    })
    jwksUrl = await listen(jwks)
    hangingUrl = await listen(hanging)
  })
  after(async () => {
    for (const res of held) res.destroy()
    await Promise.all([close(jwks), close(hanging)])
    await database?.cleanup()
  })

  it('accepts a token whose kid is in the key set, refuses a kid that is not, and never logs a token', async () => {
    const service = await startTestService(database, { JWT_SECRET: '', JWT_JWKS_URL: jwksUrl })
    const sent: string[] = []
    try {
      const good = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(privateKey)
      await expectJson(await service.request('/v1/jobs', { token: good }), 200)
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      for (const token of [
        await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: 'key-2' }).sign(other),
        await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: 'key-2' }).sign(privateKey),
        await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(other),
        handSigned({ alg: 'HS256', kid: 'key-1' }, goodClaims(), Buffer.from(JSON.stringify(jwk))),
        handSigned({ alg: 'none', kid: 'key-1' }, goodClaims(), undefined),
      ]) {
        sent.push(token)
        await expectInvalidToken(await service.request('/v1/jobs', { token }))
      }
      sent.push(good)
      assertNothingSecretLogged(service, sent)
    } finally {
      await service.close()
    }
  })

  it('answers 503 with Retry-After within the JWKS timeout when the JWKS endpoint hangs', async () => {
    const timeoutMs = 300
    const service = await startTestService(database, {
      JWT_SECRET: '',
      JWT_JWKS_URL: hangingUrl,
      JWT_JWKS_TIMEOUT_MS: String(timeoutMs),
    })
    try {
      const token = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(privateKey)
      // Bounded by the test itself: a hang fails here instead of stalling the suite.
      const response = await service.request('/v1/jobs', { token, signal: AbortSignal.timeout(timeoutMs + 5000) })
      const retryAfter = response.headers.get('retry-after')
      await expectProblem(response, 503, 'keys-unavailable')
      assert.match(retryAfter ?? '', /^[0-9]+$/)
      assertNothingSecretLogged(service, [token])
    } finally {
      await service.close()
    }
  })
})

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`
}

function close(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve()
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
