/**
 * Small helpers for the HTTP suites (routes, auth, contract): read a problem+json answer, enqueue a
 * job, long-poll a job until it satisfies a predicate, and sign hand-made tokens.
 */
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { TEST_AUDIENCE, TEST_SECRET } from './service.js';
/** Asserts `response` is an RFC 9457 problem with `status` and returns its body. */
export async function expectProblem(response, status, type) {
    const text = await response.text();
    assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${text}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = JSON.parse(text);
    assert.equal(typeof body.type, 'string');
    assert.equal(typeof body.title, 'string');
    assert.equal(body.status, status);
    if (type !== undefined)
        assert.equal(body.type, `urn:job-runner:problem:${type}`);
    return body;
}
/** Asserts a JSON answer with `status` and returns its body. */
export async function expectJson(response, status) {
    const text = await response.text();
    assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${text}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    return JSON.parse(text);
}
/** POST /v1/jobs and expect 202. */
export async function enqueue(service, body, init = {}) {
    const response = await service.request('/v1/jobs', { ...init, method: 'POST', body: JSON.stringify(body) });
    return expectJson(response, 202);
}
/** Long-polls GET /v1/jobs/{id}?wait= until `done(job)`; never sleeps. */
export async function pollUntil(service, id, done, { sub, deadlineMs = 30_000 } = {}) {
    const deadline = Date.now() + deadlineMs;
    let etag;
    let job;
    for (;;) {
        // The first look answers at once; later ones wait for a change from the ETag seen.
        const query = etag === undefined ? '' : '?wait=5';
        const response = await service.request(`/v1/jobs/${id}${query}`, {
            ...(sub ? { sub } : {}),
            headers: etag ? { 'if-none-match': etag } : {},
        });
        if (response.status === 200) {
            job = (await response.json());
            if (done(job))
                return job;
        }
        else {
            assert.equal(response.status, 304, await response.text());
        }
        etag = response.headers.get('etag') ?? undefined;
        if (Date.now() > deadline)
            assert.fail(`job ${id} did not get there in time; last seen: ${JSON.stringify(job)}`);
    }
}
/** Signs an HS256 token with the test secret and any claims (`exp` etc. as given: nothing is added). */
export function signHs256(claims, secret = TEST_SECRET) {
    const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}
/** Claims of a valid token for `sub` with every scope, valid for an hour. */
export function goodClaims(overrides = {}) {
    const now = Math.floor(Date.now() / 1000);
    return {
        sub: 'alice',
        aud: TEST_AUDIENCE,
        iat: now,
        exp: now + 3600,
        scope: 'jobs:write jobs:read admin',
        ...overrides,
    };
}
//# sourceMappingURL=http.js.map