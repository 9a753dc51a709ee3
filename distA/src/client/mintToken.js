/**
 * `mintToken` for a service that signs its own tokens for job-runner: HS256 with the shared
 * `JWT_SECRET`, or RS256 / ES256 / EdDSA with a private key whose public half the service knows
 * (`JWT_PUBLIC_KEY` or `JWT_JWKS_URL`). The algorithm follows the key, so a token is never signed
 * with an algorithm the service does not pin.
 *
 * @example
 * const token = await mintToken({ secret: process.env.JWT_SECRET, sub: 'billing', scopes: ['jobs:write', 'jobs:read'], ttl: 3600 })
 */
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
export async function mintToken(options) {
    const { secret, privateKey, sub, scopes, ttl = 3600, audience = 'job-runner', issuer, keyId } = options;
    if ((secret === undefined) === (privateKey === undefined)) {
        throw new TypeError('mintToken: give either secret (HS256) or privateKey (RS256, ES256, EdDSA), not both');
    }
    if (!Number.isFinite(ttl) || ttl <= 0)
        throw new RangeError(`mintToken: ttl must be a positive number of seconds`);
    let key;
    let alg;
    if (secret !== undefined) {
        key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
        if (key.byteLength < 32)
            throw new RangeError('mintToken: the secret must be at least 32 bytes (JWT_SECRET)');
        alg = 'HS256';
    }
    else {
        key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
        alg = algorithmOf(key);
    }
    const jwt = new SignJWT({ scope: scopes.join(' ') })
        .setProtectedHeader({ alg, typ: 'JWT', ...(keyId ? { kid: keyId } : {}) })
        .setSubject(sub)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${Math.ceil(ttl)}s`);
    if (issuer !== undefined)
        jwt.setIssuer(issuer);
    return jwt.sign(key);
}
function algorithmOf(key) {
    if (key.type !== 'private')
        throw new TypeError('mintToken: privateKey must be a private key');
    switch (key.asymmetricKeyType) {
        case 'rsa':
            return 'RS256';
        case 'ec':
            if (key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
                return 'ES256';
            throw new TypeError('mintToken: an EC key must be on P-256 (ES256)');
        case 'ed25519':
            return 'EdDSA';
        default:
            throw new TypeError(`mintToken: a ${key.asymmetricKeyType} key is not one the service accepts (RSA, EC P-256, Ed25519)`);
    }
}
//# sourceMappingURL=mintToken.js.map