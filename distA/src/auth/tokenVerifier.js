/**
 * Verifies bearer tokens with jose. Algorithms are always pinned: HS256 for `JWT_SECRET`; the
 * public key's own algorithm for `JWT_PUBLIC_KEY`; RS256/ES256/EdDSA for `JWT_JWKS_URL`. A token's
 * `alg` header only chooses among the keys configured, so an HS256 token signed with a public key
 * (the classic confusion attack) or `alg: none` never verifies.
 *
 * `exp` and `sub` are required, `nbf`, `iss` and `aud` checked, with 30 s of clock tolerance.
 */
import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, } from 'jose';
import { scopesOf } from './scopes.js';
/** The token is missing, malformed, forged, expired or meant for someone else: 401 invalid_token. */
export class InvalidTokenError extends Error {
    name = 'InvalidTokenError';
}
/** The keys could not be fetched (JWKS down or slow): 503, the token may well be valid. */
export class KeysUnavailableError extends Error {
    name = 'KeysUnavailableError';
}
const ASYMMETRIC = ['RS256', 'ES256', 'EdDSA'];
export function createTokenVerifier({ secret, publicKey, jwksUrl, issuer, audience, clockToleranceSeconds = 30, jwksTimeoutMs = 5000, }) {
    if (!secret && !publicKey && !jwksUrl)
        throw new Error('a token verifier needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL');
    const secretKey = secret ? new TextEncoder().encode(secret) : undefined;
    const staticKey = publicKey ? publicKeyWithAlgorithm(publicKey) : undefined;
    const jwks = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: jwksTimeoutMs }) : undefined;
    const common = {
        audience,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
        ...(issuer === undefined ? {} : { issuer }),
    };
    return async function verifyToken(token) {
        let alg;
        try {
            alg = decodeProtectedHeader(token).alg;
        }
        catch {
            throw new InvalidTokenError('the token is not a JWS compact serialization');
        }
        let payload;
        try {
            if (alg === 'HS256' && secretKey) {
                ;
                ({ payload } = await jwtVerify(token, secretKey, { ...common, algorithms: ['HS256'] }));
            }
            else if (staticKey && alg === staticKey.algorithm) {
                ;
                ({ payload } = await jwtVerify(token, staticKey.key, { ...common, algorithms: [staticKey.algorithm] }));
            }
            else if (jwks && alg !== undefined && ASYMMETRIC.includes(alg)) {
                ;
                ({ payload } = await jwtVerify(token, jwks, { ...common, algorithms: [...ASYMMETRIC] }));
            }
            else {
                throw new InvalidTokenError(`tokens signed with ${JSON.stringify(alg ?? null)} are not accepted`);
            }
        }
        catch (error) {
            throw classify(error);
        }
        if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 256) {
            throw new InvalidTokenError('the token has no usable sub claim');
        }
        return { sub: payload.sub, scopes: scopesOf(payload) };
    };
}
function classify(error) {
    if (error instanceof InvalidTokenError)
        return error;
    if (error instanceof errors.JWKSTimeout)
        return new KeysUnavailableError('the JWKS endpoint did not answer in time');
    if (error instanceof errors.JWTExpired)
        return new InvalidTokenError('the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed)
        return new InvalidTokenError(`the token's ${error.claim} claim is not acceptable`);
    if (error instanceof errors.JOSEError) {
        // A JWKS that answered with garbage is the issuer's fault, not the caller's.
        if (error instanceof errors.JWKSInvalid || error.message.includes('JSON Web Key Set HTTP response'))
            return new KeysUnavailableError('the JWKS endpoint answered with an invalid key set');
        return new InvalidTokenError('the token could not be verified');
    }
    // Anything else comes from fetching the JWKS (connection refused, DNS, a non-200 answer).
    return new KeysUnavailableError('the JWKS endpoint could not be reached');
}
function publicKeyWithAlgorithm(pem) {
    const key = createPublicKey(pem);
    switch (key.asymmetricKeyType) {
        case 'rsa':
            return { key, algorithm: 'RS256' };
        case 'ec':
            if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
                throw new Error('JWT_PUBLIC_KEY: only P-256 EC keys (ES256) are accepted');
            return { key, algorithm: 'ES256' };
        case 'ed25519':
            return { key, algorithm: 'EdDSA' };
        default:
            throw new Error(`JWT_PUBLIC_KEY: ${key.asymmetricKeyType} keys are not supported (use RSA, P-256 or Ed25519)`);
    }
}
//# sourceMappingURL=tokenVerifier.js.map