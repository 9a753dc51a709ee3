/**
 * Fuzzing the HTTP API with fast-check against a real service (in-process, real database): random
 * and malformed JSON, wrong types, huge and deeply nested bodies, odd headers (content-type
 * variants, duplicate or odd Authorization, long values, X-Request-Id garbage), bad ids, cursors and
 * query strings, unicode and nulls, on every route.
 *
 * Properties: never a 5xx; every error answer (4xx) is RFC 9457 problem+json whose `status` equals
 * the HTTP status; the service keeps running (lifecycle `running`, /livez 200) and keeps working (a
 * plain enqueue still succeeds at the end). Requests go through node:http so that duplicate headers
 * and raw bodies reach the server as sent.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import fc from 'fast-check';
import { signHs256, goodClaims } from '../support/http.js';
/** Heap in use after two full collections, in MiB; undefined without --expose-gc. */
async function settledHeapMiB() {
    const gc = globalThis.gc;
    if (!gc)
        return undefined;
    for (let i = 0; i < 2; i++) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().heapUsed / 2 ** 20;
}
function send(baseUrl, request) {
    const url = new URL(baseUrl);
    return new Promise((resolve, reject) => {
        const req = http.request(
        // A fresh connection each time (agent: false): a reset of a reused keep-alive socket would be the client's race, not a finding.
        // Content-Length is always set: node sends GET/DELETE/OPTIONS bodies without one, which no server could frame.
        {
            host: url.hostname,
            port: url.port,
            method: request.method,
            path: request.path,
            headers: request.body === undefined
                ? request.headers
                : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
            agent: false,
            timeout: 20_000,
        }, (response) => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('end', () => resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                text: Buffer.concat(chunks).toString('utf8'),
            }));
            response.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
        req.on('error', reject);
        if (request.body !== undefined)
            req.end(request.body);
        else
            req.end();
    });
}
/** A header value node:http will send (tab, printable ASCII, Latin-1). */
const headerText = (maxLength = 40) => fc.string({
    unit: fc
        .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(9))
        .map((c) => String.fromCharCode(c)),
    maxLength,
});
/** Any text, unicode and lone surrogates included. */
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '\u0000', '\ud800', 'null', '💥', 'a'.repeat(300)));
/** A path or query component: encoded garbage, or some raw oddities. */
const pathPiece = fc.oneof(anyText.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))), fc.constantFrom('%zz', '%', '..', '.', '%00', '%2F', '-1', '0', '1', '1.5', '1e3', '99999999999999999999', '9223372036854775807', '9223372036854775808', '%20', 'null', 'undefined', 'NaN', 'true', '[]', '{}'), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String));
function deep(depth, kind) {
    return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
const anyJsonValue = fc.oneof(fc.jsonValue(), fc.anything({ withNullPrototype: false }), fc.constant(null));
const jobShape = fc.record({
    type: fc.oneof(fc.constantFrom('echo', 'count', 'sleep', 'flaky', 'stubborn', 'nope', ''), anyText, anyJsonValue),
    payload: fc.oneof(anyJsonValue, fc.record({ ms: fc.oneof(fc.integer({ min: 0, max: 50 }), anyJsonValue) }, { requiredKeys: [] }), fc.record({
        to: fc.oneof(fc.integer({ min: 0, max: 5 }), anyJsonValue),
        stepMs: fc.oneof(fc.integer({ min: 0, max: 5 }), anyJsonValue),
    }, { requiredKeys: [] }), fc.record({ failTimes: fc.oneof(fc.integer({ min: 0, max: 2 }), anyJsonValue) }, { requiredKeys: [] })),
    queue: fc.oneof(fc.constantFrom('default', 'other', ''), anyText, anyJsonValue),
    priority: fc.oneof(fc.integer(), fc.double(), anyJsonValue, fc.constant(2 ** 53)),
    runAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2100-01-01T00:00:00Z', 'yesterday', '0000-00-00', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z'), anyJsonValue),
    maxAttempts: fc.oneof(fc.integer(), fc.double(), anyJsonValue),
    timeoutSeconds: fc.oneof(fc.integer(), fc.double(), anyJsonValue),
    idempotencyKey: fc.oneof(anyText, anyJsonValue),
}, { requiredKeys: [] });
/** A body: JSON of the right shape with wrong values, any JSON, malformed, deep, or huge. */
const bodyText = fc.oneof({ weight: 4, arbitrary: jobShape.map((job) => JSON.stringify(job)) }, {
    weight: 3,
    arbitrary: fc.array(fc.oneof(jobShape, anyJsonValue), { maxLength: 5 }).map((jobs) => JSON.stringify({ jobs })),
}, {
    weight: 1,
    arbitrary: fc
        .oneof(fc.constant({ jobs: [] }), fc.constant({ jobs: null }), fc
        .integer({ min: 1001, max: 1200 })
        .map((n) => ({ jobs: Array.from({ length: n }, () => ({ type: 'echo' })) })))
        .map((b) => JSON.stringify(b)),
}, { weight: 2, arbitrary: fc.json() }, { weight: 2, arbitrary: anyText }, { weight: 1, arbitrary: fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))) }, {
    weight: 1,
    arbitrary: fc
        .tuple(fc.integer({ min: 60, max: 70_000 }), fc.constantFrom('array', 'object'))
        .map(([d, k]) => deep(d, k)),
}, {
    weight: 1,
    arbitrary: fc
        .tuple(fc.integer({ min: 60, max: 200 }), fc.boolean())
        .map(([d, batch]) => batch
        ? `{"jobs":[{"type":"echo","payload":${deep(d, 'object')}}]}`
        : `{"type":"echo","payload":${deep(d, 'array')}}`),
}, {
    weight: 1,
    arbitrary: fc
        .integer({ min: 900_000, max: 1_200_000 })
        .map((n) => JSON.stringify({ type: 'echo', payload: { big: 'x'.repeat(n) } })),
}, {
    weight: 1,
    arbitrary: fc.constantFrom('', 'null', '{}', '[]', '"', '{"type":"echo","payload":{"a":"\\u0000"}}', '{"type":"echo","payload":{"\\ud800":1}}', '{"type":"echo","type":"count"}', '{"__proto__":{"type":"echo"}}', '{"type":"echo","payload":1e400}', '\ufeff{"type":"echo"}'),
});
const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constant(undefined) }, fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/problem+json', 'application/merge-patch+json', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/json;', ''), { weight: 1, arbitrary: headerText() });
export async function runFuzz({ service, runs, seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), }) {
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
        admin: await service.token({ sub: 'fuzz', scopes: ['jobs:read', 'jobs:write', 'admin'] }),
        writer: await service.token({ sub: 'fuzz', scopes: ['jobs:write', 'jobs:read'] }),
        reader: await service.token({ sub: 'fuzz', scopes: ['jobs:read'] }),
        other: await service.token({ sub: 'other', scopes: ['jobs:read', 'jobs:write'] }),
        expired: await signHs256(goodClaims({ sub: 'fuzz', exp: now - 60, iat: now - 120 })),
        none: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(goodClaims({ sub: 'fuzz' }))).toString('base64url')}.`,
    };
    // A few real jobs (due in a century, never run) to aim ids at.
    const ids = [];
    for (let i = 0; i < 3; i++) {
        const response = await service.request('/v1/jobs', {
            token: tokens.writer,
            method: 'POST',
            body: JSON.stringify({ type: 'echo', runAt: '2100-01-01T00:00:00Z' }),
        });
        assert.equal(response.status, 202);
        ids.push((await response.json()).id);
    }
    const authorization = fc.oneof(
    // Mostly tokens that get past authentication, so the fuzzing reaches the routes behind it.
    { weight: 14, arbitrary: fc.constantFrom(tokens.admin, tokens.writer).map((t) => `Bearer ${t}`) }, { weight: 3, arbitrary: fc.constantFrom(...Object.values(tokens)).map((t) => `Bearer ${t}`) }, { weight: 1, arbitrary: fc.constant(undefined) }, {
        weight: 1,
        arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'bearer ' + tokens.writer, 'Basic dXNlcjpwYXNz', `Bearer  ${tokens.writer}`, `Bearer ${tokens.writer}x`, `Bearer ${tokens.writer.split('.').slice(0, 2).join('.')}`, 'Bearer a.b.c', 'Bearer ...', `Bearer ${'a'.repeat(70_000)}`),
    }, { weight: 1, arbitrary: headerText(200) }, {
        weight: 1,
        arbitrary: fc
            .tuple(fc.constantFrom(...Object.values(tokens)), headerText())
            .map(([t, junk]) => [`Bearer ${t}`, junk]),
    }, {
        weight: 1,
        arbitrary: fc
            .tuple(fc.constantFrom(tokens.writer, tokens.admin), fc.constantFrom(tokens.other, tokens.reader))
            .map(([a, b]) => [`Bearer ${a}`, `Bearer ${b}`]),
    });
    const headers = fc.record({
        authorization,
        'content-type': contentType,
        'x-request-id': fc.oneof(headerText(100), fc.constantFrom('x'.repeat(10_000), '', ' ', '../../etc/passwd', '<script>')),
        'idempotency-key': fc.oneof(headerText(100), fc.constant('k'.repeat(5000))),
        'if-none-match': fc.oneof(headerText(60), fc.constantFrom('*', '"0"', 'W/"x"', '""')),
        accept: fc.oneof(headerText(), fc.constantFrom('application/json', 'text/html', '*/*', 'application/problem+json')),
        'x-forwarded-for': headerText(),
        'content-encoding': fc.constantFrom('gzip', 'identity', 'br', 'x'),
    }, { requiredKeys: ['authorization', 'content-type'] });
    const id = fc.oneof(fc.constantFrom(...ids), pathPiece);
    const wait = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('0', '1') }, { weight: 3, arbitrary: fc.oneof(pathPiece, fc.constantFrom('61', '60.5', '-1', '1e1', '0x1', '')) });
    const query = fc
        .array(fc.tuple(fc.oneof(fc.constantFrom('state', 'type', 'queue', 'limit', 'cursor', 'wait', 'limit[]', 'state'), pathPiece), fc.oneof(pathPiece, fc.constantFrom('queued', 'running', 'succeeded', '0', '1', '100', '101', '1000', 'MTIz', 'eyJpZCI6MX0', 'AAAA', '_-_'))), { maxLength: 4 })
        .map((pairs) => (pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${k}=${v}`).join('&')));
    const route = fc.oneof(fc.constant({ method: 'POST', path: '/v1/jobs', withBody: true }), fc.constant({ method: 'POST', path: '/v1/jobs/batch', withBody: true }), query.map((q) => ({ method: 'GET', path: `/v1/jobs${q}`, withBody: false })), fc.tuple(id, wait).map(([i, w]) => ({
        method: 'GET',
        path: `/v1/jobs/${i}${w === undefined ? '' : `?wait=${w}`}`,
        withBody: false,
    })), id.map((i) => ({ method: 'POST', path: `/v1/jobs/${i}/cancel`, withBody: false })), fc
        .constantFrom('/v1/admin/status', '/v1/admin/queues', '/metrics', '/readyz', '/livez')
        .map((path) => ({ method: 'GET', path, withBody: false })), fc.constantFrom('/v1/admin/drain', '/v1/admin/resume').map((path) => ({ method: 'POST', path, withBody: true })), fc
        .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), fc.array(pathPiece, { maxLength: 4 }), fc.boolean())
        .map(([method, pieces, withBody]) => ({
        method,
        path: `/${['v1', ...pieces].join('/')}`,
        withBody,
    })));
    const statuses = {};
    const heapBefore = await settledHeapMiB();
    // The first broken property, in a few lines: fast-check's own report prints whole (huge) inputs.
    let firstFailure;
    const property = fc.assert(fc.asyncProperty(route, headers, bodyText, fc.boolean(), async (target, chosen, body, bodyAsBuffer) => {
        const sent = {};
        for (const [name, value] of Object.entries(chosen))
            if (value !== undefined)
                sent[name] = value;
        const drains = target.path === '/v1/admin/drain';
        const request = {
            method: target.method,
            path: target.path,
            headers: sent,
            body: target.withBody ? (bodyAsBuffer ? Buffer.from(body) : body) : undefined,
        };
        const answer = await send(service.url, request).catch((error) => {
            firstFailure ??= `${request.method} ${request.path.slice(0, 200)}: no answer (${error.message}), headers ${describeHeaders(sent)}`;
            throw error;
        });
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        const what = `${request.method} ${request.path.slice(0, 200)} → ${answer.status}: ${answer.text.slice(0, 300)} (headers ${describeHeaders(sent)}; body ${String(request.body ?? '').slice(0, 200)})`;
        try {
            checkAnswer(answer, what);
        }
        catch (error) {
            firstFailure ??= error.message;
            throw error;
        }
        if (drains && answer.status === 202) {
            // An admin really drained it: resume, so the next cases meet a running service.
            const resumed = await service.request('/v1/admin/resume', { token: tokens.admin, method: 'POST' });
            assert.equal(resumed.status, 200, await resumed.text());
        }
        if (service.lifecycle.state !== 'running') {
            firstFailure ??= `the service left "running" after: ${what}`;
            assert.fail(firstFailure);
        }
    }), { numRuns: runs, seed, endOnFailure: true });
    await property.catch((error) => {
        throw new Error(`fuzzing found: ${firstFailure ?? error.message.slice(0, 2000)}\n(replay with FUZZ_SEED=${seed})`);
    });
    return finish();
    async function finish() {
        // Still alive and still working.
        const live = await service.request('/livez', { token: null });
        assert.equal(live.status, 200);
        await live.body?.cancel();
        const works = await service.request('/v1/jobs', {
            token: tokens.writer,
            method: 'POST',
            body: JSON.stringify({ type: 'echo', payload: { after: 'fuzz' } }),
        });
        assert.equal(works.status, 202, await works.clone().text());
        await works.body?.cancel();
        const heapAfter = await settledHeapMiB();
        if (heapBefore === undefined || heapAfter === undefined)
            return { runs, seed, statuses };
        // Back near the baseline: what a long run may keep is bounded, not proportional to the requests.
        assert.ok(heapAfter < heapBefore + Math.max(32, heapBefore * 0.5), `the heap grew from ${heapBefore.toFixed(1)} MiB to ${heapAfter.toFixed(1)} MiB over ${runs} requests`);
        return { runs, seed, statuses, heapMiB: { before: Math.round(heapBefore), after: Math.round(heapAfter) } };
    }
}
function checkAnswer(answer, what) {
    assert.ok(answer.status < 500, `a 5xx: ${what}`);
    if (answer.status >= 400) {
        assert.match(String(answer.headers['content-type'] ?? ''), /^application\/problem\+json/, `not problem+json: ${what}`);
        let problem;
        try {
            problem = JSON.parse(answer.text);
        }
        catch {
            assert.fail(`a problem body that is not JSON: ${what}`);
        }
        assert.equal(typeof problem.type, 'string', `problem without a type: ${what}`);
        assert.equal(typeof problem.title, 'string', `problem without a title: ${what}`);
        assert.equal(problem.status, answer.status, `problem status differs from the HTTP status: ${what}`);
    }
}
function describeHeaders(headers) {
    return JSON.stringify(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => x.slice(0, 60)) : v.slice(0, 60)])));
}
//# sourceMappingURL=fuzz.js.map