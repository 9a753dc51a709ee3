/**
 * mintToken: HS256 with a shared secret and ES256/EdDSA/RS256 with a private key, each verified by
 * the service's own token verifier (the algorithm pinned to the key it was given).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { createTokenVerifier } from '../../src/auth/tokenVerifier.js';
import { mintToken } from '../../src/client/index.js';
const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
describe('mintToken', () => {
    it('signs HS256 tokens the service accepts, with sub, scopes and ttl', async () => {
        const token = await mintToken({ secret: SECRET, sub: 'billing', scopes: ['jobs:write', 'jobs:read'], ttl: 60 });
        const verify = createTokenVerifier({ secret: SECRET, audience: 'job-runner' });
        const principal = await verify(token);
        assert.equal(principal.sub, 'billing');
        assert.deepEqual([...principal.scopes].sort(), ['jobs:read', 'jobs:write']);
    });
    for (const [kind, options] of [
        ['ec', { namedCurve: 'P-256' }],
        ['ed25519', {}],
        ['rsa', { modulusLength: 2048 }],
    ]) {
        it(`signs with a ${kind} private key the service verifies with its public key`, async () => {
            const { privateKey, publicKey } = generateKeyPairSync(kind, options);
            const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
            const token = await mintToken({ privateKey: pem, sub: 'svc', scopes: ['jobs:read'] });
            const verify = createTokenVerifier({
                publicKey: publicKey.export({ type: 'spki', format: 'pem' }),
                audience: 'job-runner',
            });
            assert.equal((await verify(token)).sub, 'svc');
        });
    }
    it('refuses a short secret, both key kinds at once, and a bad ttl', async () => {
        await assert.rejects(mintToken({ secret: 'short', sub: 'x', scopes: [] }), /at least 32 bytes/);
        await assert.rejects(mintToken({ sub: 'x', scopes: [] }), /either secret/);
        await assert.rejects(mintToken({ secret: SECRET, sub: 'x', scopes: [], ttl: 0 }), /ttl/);
    });
});
//# sourceMappingURL=mintToken.test.js.map