/**
 * Bearer tokens over real HTTP, answered as RFC 6750 §3 says: no token → 401 with a bare challenge;
 * any bad token (expired, not yet valid, wrong audience or issuer, `alg: none`, an HS256 token
 * signed with the RSA public key, a forged signature, no `sub`, no `exp`) → 401 `invalid_token`; a
 * missing scope → 403 `insufficient_scope`; keys that cannot be fetched → 503, not 401. Tokens
 * never reach the logs.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { expectJson, expectProblem, goodClaims, signHs256 } from '../support/http.js';
import { startTestService } from '../support/service.js';
const ISSUER = 'https://issuer.test';
const now = () => Math.floor(Date.now() / 1000);
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** 401 invalid_token, as RFC 6750 §3.1 spells it. */
async function expectInvalidToken(response) {
    await expectProblem(response, 401, 'invalid-token');
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="job-runner", error="invalid_token"/);
}
function signRs256(claims, key, kid) {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) }).sign(key);
}
/** A JWKS endpoint on 127.0.0.1 that can serve keys, hang, or be stopped and started again on its port. */
class JwksServer {
    jwks;
    mode = 'serve';
    server = this.create();
    port = 0;
    constructor(jwks) {
        this.jwks = jwks;
    }
    get url() {
        return `http://127.0.0.1:${this.port}/.well-known/jwks.json`;
    }
    create() {
        return http.createServer((request, response) => {
            if (this.mode === 'hang')
                return; // never answers
            response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.jwks()));
        });
    }
    async start() {
        this.server = this.create();
        await new Promise((resolve, reject) => {
            this.server.once('error', reject);
            this.server.listen(this.port, '127.0.0.1', () => resolve());
        });
        this.port = this.server.address().port;
    }
    async stop() {
        this.server.closeAllConnections();
        await new Promise((resolve) => this.server.close(() => resolve()));
    }
}
for (const target of databaseTargets()) {
    describe(`bearer tokens (${target.name})`, { skip: onceSkip(target, 'the token check reads no database') }, () => {
        const databases = [];
        const services = [];
        /** Every token sent, to prove none reached the logs. */
        const sent = [];
        let hs;
        let rsa;
        let jwksService;
        let jwksServer;
        let rsaKeys;
        let publicPem;
        let strangerKeys;
        const start = async (env = {}) => {
            const database = await target.create();
            databases.push(database);
            const service = await startTestService(database, env);
            services.push(service);
            return service;
        };
        /** GET /v1/jobs with `token` (recorded for the log check). */
        const call = (service, token, init = {}) => {
            sent.push(token);
            return service.request('/v1/jobs', { ...init, token });
        };
        before(async () => {
            rsaKeys = await generateKeyPair('RS256', { extractable: true });
            strangerKeys = await generateKeyPair('RS256', { extractable: true });
            publicPem = await exportSPKI(rsaKeys.publicKey);
            const jwk = { ...(await exportJWK(rsaKeys.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
            jwksServer = new JwksServer(() => ({ keys: [jwk] }));
            await jwksServer.start();
            hs = await start();
            rsa = await start({ JWT_SECRET: '', JWT_PUBLIC_KEY: publicPem, JWT_ISSUER: ISSUER });
            jwksService = await start({ JWT_SECRET: '', JWT_JWKS_URL: jwksServer.url, JWT_JWKS_TIMEOUT_MS: '300' });
        });
        after(async () => {
            await Promise.allSettled(services.map((service) => service.close()));
            await jwksServer?.stop().catch(() => { });
            await Promise.allSettled(databases.map((database) => database.cleanup()));
        });
        it('no token: 401 with a bare Bearer challenge', async () => {
            for (const authorization of [undefined, 'Basic YWxpY2U6c2VjcmV0', 'Bearer', 'Bearer ']) {
                const response = await hs.request('/v1/jobs', {
                    token: null,
                    headers: authorization === undefined ? {} : { authorization },
                });
                await expectProblem(response, 401, 'unauthorized');
                assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="job-runner"', String(authorization));
            }
        });
        it('a good HS256 token is accepted, within 30 s of clock tolerance either way', async () => {
            await expectJson(await call(hs, await signHs256(goodClaims())), 200);
            await expectJson(await call(hs, await signHs256(goodClaims({ exp: now() - 10 }))), 200);
            await expectJson(await call(hs, await signHs256(goodClaims({ nbf: now() + 10 }))), 200);
        });
        it('expired, not yet valid, wrong or missing audience: 401 invalid_token', async () => {
            await expectInvalidToken(await call(hs, await signHs256(goodClaims({ exp: now() - 120 }))));
            await expectInvalidToken(await call(hs, await signHs256(goodClaims({ nbf: now() + 120 }))));
            await expectInvalidToken(await call(hs, await signHs256(goodClaims({ aud: 'another-service' }))));
            const { aud: _aud, ...noAudience } = goodClaims();
            await expectInvalidToken(await call(hs, await signHs256(noAudience)));
        });
        it('missing sub or exp: 401 invalid_token', async () => {
            const { sub: _sub, ...noSub } = goodClaims();
            await expectInvalidToken(await call(hs, await signHs256(noSub)));
            await expectInvalidToken(await call(hs, await signHs256(goodClaims({ sub: '' }))));
            const { exp: _exp, ...noExp } = goodClaims();
            await expectInvalidToken(await call(hs, await signHs256(noExp)));
        });
        it('alg none, a forged signature, another secret, garbage: 401 invalid_token', async () => {
            await expectInvalidToken(await call(hs, `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(goodClaims())}.`));
            await expectInvalidToken(await call(hs, `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(goodClaims())}`));
            const good = await signHs256(goodClaims());
            const [header, payload, signature] = good.split('.');
            // A middle character: the last one of a base64url signature carries padding bits.
            const at = Math.floor(signature.length / 2);
            const tampered = signature.slice(0, at) + (signature[at] === 'A' ? 'B' : 'A') + signature.slice(at + 1);
            await expectInvalidToken(await call(hs, `${header}.${payload}.${tampered}`));
            await expectInvalidToken(await call(hs, `${header}.${base64url(goodClaims({ sub: 'mallory' }))}.${signature}`));
            await expectInvalidToken(await call(hs, await signHs256(goodClaims(), 'another-secret-that-is-at-least-32-bytes')));
            await expectInvalidToken(await call(hs, 'not-a-jwt'));
            // An RS256 token where only a secret is configured.
            await expectInvalidToken(await call(hs, await signRs256(goodClaims(), rsaKeys.privateKey)));
        });
        it('a missing scope: 403 insufficient_scope naming the scope', async () => {
            const readOnly = await signHs256(goodClaims({ scope: 'jobs:read' }));
            const response = await call(hs, readOnly, { method: 'POST', body: JSON.stringify({ type: 'echo' }) });
            await expectProblem(response, 403, 'insufficient-scope');
            assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="job-runner", error="insufficient_scope", scope="jobs:write"');
            const noScope = await signHs256(goodClaims({ scope: undefined }));
            const list = await call(hs, noScope);
            await expectProblem(list, 403, 'insufficient-scope');
            assert.match(list.headers.get('www-authenticate') ?? '', /scope="jobs:read"/);
            const admin = await hs.request('/v1/admin/status', { token: readOnly });
            await expectProblem(admin, 403, 'insufficient-scope');
            assert.match(admin.headers.get('www-authenticate') ?? '', /scope="admin"/);
        });
        it('scopes come from a space-separated scope string or an scp array', async () => {
            const fromString = await signHs256(goodClaims({ scope: 'jobs:write' }));
            await expectJson(await call(hs, fromString, { method: 'POST', body: JSON.stringify({ type: 'echo', queue: 'nobody' }) }), 202);
            await expectProblem(await call(hs, fromString), 403, 'insufficient-scope');
            const fromArray = await signHs256(goodClaims({ scope: undefined, scp: ['jobs:read'] }));
            await expectJson(await call(hs, fromArray), 200);
            await expectProblem(await call(hs, fromArray, { method: 'POST', body: JSON.stringify({ type: 'echo' }) }), 403, 'insufficient-scope');
            const both = await signHs256(goodClaims({ scope: 'jobs:read', scp: ['jobs:write'] }));
            await expectJson(await call(hs, both), 200);
            await expectJson(await call(hs, both, { method: 'POST', body: JSON.stringify({ type: 'echo', queue: 'nobody' }) }), 202);
        });
        it('JWT_PUBLIC_KEY: a good RS256 token is accepted; issuer checked; HS256 signed with the PEM is refused', async () => {
            await expectJson(await call(rsa, await signRs256(goodClaims({ iss: ISSUER }), rsaKeys.privateKey)), 200);
            await expectInvalidToken(await call(rsa, await signRs256(goodClaims({ iss: 'https://other.test' }), rsaKeys.privateKey)));
            await expectInvalidToken(await call(rsa, await signRs256(goodClaims(), rsaKeys.privateKey)));
            await expectInvalidToken(await call(rsa, await signRs256(goodClaims({ iss: ISSUER }), strangerKeys.privateKey)));
            // The key-confusion attack: the public key's PEM text used as an HMAC secret.
            await expectInvalidToken(await call(rsa, await signHs256(goodClaims({ iss: ISSUER }), new TextEncoder().encode(publicPem))));
            await expectInvalidToken(await call(rsa, await signHs256(goodClaims({ iss: ISSUER }))));
        });
        it('JWT_JWKS_URL: 503 (not 401) while the JWKS hangs or is down; then a good token passes and an unknown kid is 401', async () => {
            const token = await signRs256(goodClaims(), rsaKeys.privateKey, 'key-1');
            jwksServer.mode = 'hang';
            const hanging = await call(jwksService, token);
            await expectProblem(hanging, 503, 'keys-unavailable');
            assert.match(hanging.headers.get('retry-after') ?? '', /^[0-9]+$/);
            await jwksServer.stop();
            await expectProblem(await call(jwksService, token), 503, 'keys-unavailable');
            jwksServer.mode = 'serve';
            await jwksServer.start();
            await expectJson(await call(jwksService, token), 200);
            await expectInvalidToken(await call(jwksService, await signRs256(goodClaims(), strangerKeys.privateKey, 'key-2')));
            await expectInvalidToken(await call(jwksService, await signRs256(goodClaims(), strangerKeys.privateKey, 'key-1')));
            await expectInvalidToken(await call(jwksService, await signHs256(goodClaims())));
        });
        it('no token text ever reaches the logs', () => {
            assert.ok(sent.length > 20);
            for (const service of services) {
                assert.ok(service.logs.lines.length > 0);
                for (const line of service.logs.lines) {
                    for (const token of sent) {
                        const signature = token.split('.')[2];
                        assert.ok(!line.includes(token), `a token reached the logs: ${line}`);
                        if (signature && signature.length > 10)
                            assert.ok(!line.includes(signature), `a token signature reached the logs: ${line}`);
                    }
                }
            }
        });
    });
}
//# sourceMappingURL=tokens.test.js.map