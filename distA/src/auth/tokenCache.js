/**
 * A bounded cache of verified tokens: a token that verified once maps to its principal until its
 * `exp` (never longer than `maxAgeMs`, so a key rotation or a JWKS change is picked up soon), and
 * repeated requests with the same bearer token skip the signature check. Only successes are kept;
 * a bad token is verified (and refused) every time. Keyed by the whole token string, so a token
 * that differs in any byte is verified afresh. The oldest entry leaves when the cache is full.
 */
import { decodeJwt } from 'jose';
export function cachedTokenVerifier(verify, { maxEntries = 10_000, maxAgeMs = 5 * 60_000, now = Date.now } = {}) {
    const cache = new Map();
    function known(token) {
        const hit = cache.get(token);
        if (hit === undefined)
            return undefined;
        if (hit.expiresAt > now())
            return hit.principal;
        cache.delete(token);
        return undefined;
    }
    async function verifyCached(token) {
        const hit = known(token);
        if (hit)
            return hit;
        const principal = await verify(token);
        // Verified, so `exp` is present (the verifier requires it) and still ahead.
        const exp = decodeJwt(token).exp;
        if (typeof exp === 'number') {
            const expiresAt = Math.min(exp * 1000, now() + maxAgeMs);
            if (cache.size >= maxEntries)
                cache.delete(cache.keys().next().value);
            cache.set(token, { principal, expiresAt });
        }
        return principal;
    }
    // A hit needs no promise: the authentication middleware admits it without an async layer.
    return Object.assign(verifyCached, { known });
}
//# sourceMappingURL=tokenCache.js.map