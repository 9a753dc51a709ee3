/**
 * `mintToken` for a service that signs its own tokens for job-runner: HS256 with the shared
 * `JWT_SECRET`, or RS256 / ES256 / EdDSA with a private key whose public half the service knows
 * (`JWT_PUBLIC_KEY` or `JWT_JWKS_URL`). The algorithm follows the key, so a token is never signed
 * with an algorithm the service does not pin.
 *
 * @example
 * const token = await mintToken({ secret: process.env.JWT_SECRET, sub: 'billing', scopes: ['jobs:write', 'jobs:read'], ttl: 3600 })
 */
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'

export type TokenScope = 'jobs:read' | 'jobs:write' | 'admin'

export interface MintTokenOptions {
  /** The HS256 shared secret (`JWT_SECRET`, at least 32 bytes). */
  readonly secret?: string | Uint8Array
  /** A private key (PEM PKCS#8 text or a KeyObject): RSA → RS256, EC P-256 → ES256, Ed25519 → EdDSA. */
  readonly privateKey?: string | KeyObject
  /** The owner of the jobs this token enqueues. */
  readonly sub: string
  readonly scopes: readonly TokenScope[]
  /** Lifetime in seconds (default 3600). */
  readonly ttl?: number
  /** `JWT_AUDIENCE` of the service (default `job-runner`). */
  readonly audience?: string
  /** `JWT_ISSUER` of the service, when it checks one. */
  readonly issuer?: string
  /** The key id for a JWKS that holds several keys. */
  readonly keyId?: string
}

export async function mintToken(options: MintTokenOptions): Promise<string> {
  const { secret, privateKey, sub, scopes, ttl = 3600, audience = 'job-runner', issuer, keyId } = options
  if ((secret === undefined) === (privateKey === undefined)) {
    throw new TypeError('mintToken: give either secret (HS256) or privateKey (RS256, ES256, EdDSA), not both')
  }
  if (!Number.isFinite(ttl) || ttl <= 0) throw new RangeError(`mintToken: ttl must be a positive number of seconds`)
  let key: Uint8Array | KeyObject
  let alg: string
  if (secret !== undefined) {
    key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
    if (key.byteLength < 32) throw new RangeError('mintToken: the secret must be at least 32 bytes (JWT_SECRET)')
    alg = 'HS256'
  } else {
    key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey!
    alg = algorithmOf(key)
  }
  const jwt = new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg, typ: 'JWT', ...(keyId ? { kid: keyId } : {}) })
    .setSubject(sub)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${Math.ceil(ttl)}s`)
  if (issuer !== undefined) jwt.setIssuer(issuer)
  return jwt.sign(key)
}

function algorithmOf(key: KeyObject): string {
  if (key.type !== 'private') throw new TypeError('mintToken: privateKey must be a private key')
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256'
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256'
      throw new TypeError('mintToken: an EC key must be on P-256 (ES256)')
    case 'ed25519':
      return 'EdDSA'
    default:
      throw new TypeError(
        `mintToken: a ${key.asymmetricKeyType} key is not one the service accepts (RSA, EC P-256, Ed25519)`,
      )
  }
}
