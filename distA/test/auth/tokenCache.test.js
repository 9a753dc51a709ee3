/** The cache of verified tokens in front of the jose verifier. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintToken } from '../../src/auth/devToken.js';
import { cachedTokenVerifier } from '../../src/auth/tokenCache.js';
import { createTokenVerifier, InvalidTokenError } from '../../src/auth/tokenVerifier.js';
const secret = 'token-cache-test-secret-0123456789abcdef';
const audience = 'job-runner';
function counted(verify) {
    const wrapped = Object.assign(async (token) => {
        wrapped.calls += 1;
        return verify(token);
    }, { calls: 0 });
    return wrapped;
}
describe('cachedTokenVerifier', () => {
    it('verifies a token once and answers repeats from the cache', async () => {
        const inner = counted(createTokenVerifier({ secret, audience }));
        const verify = cachedTokenVerifier(inner);
        const token = await mintToken({ secret, sub: 'alice', audience, scopes: ['jobs:read'] });
        const first = await verify(token);
        const second = await verify(token);
        assert.equal(inner.calls, 1);
        assert.deepEqual(second, first);
        assert.equal(first.sub, 'alice');
        assert.deepEqual([...first.scopes], ['jobs:read']);
    });
    it('verifies again once the token has expired, and then refuses it', async () => {
        let clock = Date.now();
        const inner = counted(async (token) => {
            if (clock > Date.now() + 30_000)
                throw new InvalidTokenError('the token has expired');
            return createTokenVerifier({ secret, audience })(token);
        });
        const verify = cachedTokenVerifier(inner, { now: () => clock });
        const token = await mintToken({ secret, sub: 'bob', audience, ttlSeconds: 10 });
        await verify(token);
        clock += 5_000;
        await verify(token);
        assert.equal(inner.calls, 1, 'still cached before exp');
        clock += 60_000;
        await assert.rejects(verify(token), InvalidTokenError);
        assert.equal(inner.calls, 2, 'verified afresh after exp');
    });
    it('never caches a refusal', async () => {
        const inner = counted(createTokenVerifier({ secret, audience }));
        const verify = cachedTokenVerifier(inner);
        const forged = await mintToken({ secret: `${secret}-other`, sub: 'mallory', audience });
        await assert.rejects(verify(forged), InvalidTokenError);
        await assert.rejects(verify(forged), InvalidTokenError);
        assert.equal(inner.calls, 2);
    });
    it('keeps at most maxEntries tokens, dropping the oldest', async () => {
        const inner = counted(createTokenVerifier({ secret, audience }));
        const verify = cachedTokenVerifier(inner, { maxEntries: 2 });
        const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => mintToken({ secret, sub, audience })));
        for (const token of [a, b, c])
            await verify(token);
        assert.equal(inner.calls, 3);
        await verify(c);
        await verify(b);
        assert.equal(inner.calls, 3, 'the two newest are cached');
        await verify(a);
        assert.equal(inner.calls, 4, 'the oldest was dropped');
    });
});
//# sourceMappingURL=tokenCache.test.js.map