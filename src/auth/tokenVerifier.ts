/**
 * Verifies bearer tokens with jose. Algorithms are always pinned: HS256 for `JWT_SECRET`; the
 * public key's own algorithm for `JWT_PUBLIC_KEY`; RS256/ES256/EdDSA for `JWT_JWKS_URL`. A token's
 * `alg` header only chooses among the keys configured, so an HS256 token signed with a public key
 * (the classic confusion attack) or `alg: none` never verifies.
 *
 * `exp` and `sub` are required, `nbf`, `iss` and `aud` checked, with 30 s of clock tolerance.
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose'
import { scopesOf, SYSTEM_OWNER, type Principal } from './scopes.js'

export interface TokenVerifierOptions {
  secret?: string | undefined
  publicKey?: string | undefined
  jwksUrl?: string | undefined
  issuer?: string | undefined
  audience: string
  clockToleranceSeconds?: number
  /** How long a JWKS fetch may take before the request is answered 503. */
  jwksTimeoutMs?: number
}

/** The token is missing, malformed, forged, expired or meant for someone else: 401 invalid_token. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError'
}

/** The keys could not be fetched (JWKS down or slow): 503, the token may well be valid. */
export class KeysUnavailableError extends Error {
  override name = 'KeysUnavailableError'
}

export type TokenVerifier = ((token: string) => Promise<Principal>) & {
  /**
   * The principal of a token verified before and still good, without a promise (a cache's:
   * tokenCache.ts); undefined means "verify it", never "refused".
   */
  readonly known?: (token: string) => Principal | undefined
}

const ASYMMETRIC = ['RS256', 'ES256', 'EdDSA'] as const

export function createTokenVerifier({
  secret,
  publicKey,
  jwksUrl,
  issuer,
  audience,
  clockToleranceSeconds = 30,
  jwksTimeoutMs = 5000,
}: TokenVerifierOptions): TokenVerifier {
  if (!secret && !publicKey && !jwksUrl)
    throw new Error('a token verifier needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL')
  const secretKey = secret ? new TextEncoder().encode(secret) : undefined
  const staticKey = publicKey ? publicKeyWithAlgorithm(publicKey) : undefined
  const jwks = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: jwksTimeoutMs }) : undefined
  const common = {
    audience,
    clockTolerance: clockToleranceSeconds,
    requiredClaims: ['exp', 'sub'],
    ...(issuer === undefined ? {} : { issuer }),
  }

  return async function verifyToken(token: string): Promise<Principal> {
    let alg: string | undefined
    try {
      alg = decodeProtectedHeader(token).alg
    } catch {
      throw new InvalidTokenError('the token is not a JWS compact serialization')
    }
    let payload: JWTPayload
    try {
      if (alg === 'HS256' && secretKey) {
        ;({ payload } = await jwtVerify(token, secretKey, { ...common, algorithms: ['HS256'] }))
      } else if (staticKey && alg === staticKey.algorithm) {
        ;({ payload } = await jwtVerify(token, staticKey.key, { ...common, algorithms: [staticKey.algorithm] }))
      } else if (jwks && alg !== undefined && (ASYMMETRIC as readonly string[]).includes(alg)) {
        ;({ payload } = await jwtVerify(token, jwks as JWTVerifyGetKey, { ...common, algorithms: [...ASYMMETRIC] }))
      } else {
        throw new InvalidTokenError(`tokens signed with ${JSON.stringify(alg ?? null)} are not accepted`)
      }
    } catch (error) {
      throw classify(error)
    }
    if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 256) {
      throw new InvalidTokenError('the token has no usable sub claim')
    }
    const scopes = scopesOf(payload as Record<string, unknown>)
    if (payload.sub === SYSTEM_OWNER && !scopes.has('admin')) {
      throw new InvalidTokenError(
        `the sub ${SYSTEM_OWNER} is reserved for what the service declares itself: only an admin token may carry it`,
      )
    }
    return { sub: payload.sub, scopes }
  }
}

function classify(error: unknown): Error {
  if (error instanceof InvalidTokenError) return error
  if (error instanceof errors.JWKSTimeout) return new KeysUnavailableError('the JWKS endpoint did not answer in time')
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('the token has expired')
  if (error instanceof errors.JWTClaimValidationFailed)
    return new InvalidTokenError(`the token's ${error.claim} claim is not acceptable`)
  if (error instanceof errors.JOSEError) {
    // A JWKS that answered with garbage is the issuer's fault, not the caller's.
    if (error instanceof errors.JWKSInvalid || error.message.includes('JSON Web Key Set HTTP response'))
      return new KeysUnavailableError('the JWKS endpoint answered with an invalid key set')
    return new InvalidTokenError('the token could not be verified')
  }
  // Anything else comes from fetching the JWKS (connection refused, DNS, a non-200 answer).
  return new KeysUnavailableError('the JWKS endpoint could not be reached')
}

function publicKeyWithAlgorithm(pem: string): { key: KeyObject; algorithm: string } {
  const key = createPublicKey(pem)
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { key, algorithm: 'RS256' }
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
        throw new Error('JWT_PUBLIC_KEY: only P-256 EC keys (ES256) are accepted')
      return { key, algorithm: 'ES256' }
    case 'ed25519':
      return { key, algorithm: 'EdDSA' }
    default:
      throw new Error(`JWT_PUBLIC_KEY: ${key.asymmetricKeyType} keys are not supported (use RSA, P-256 or Ed25519)`)
  }
}
