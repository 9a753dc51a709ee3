/**
 * Stress on the process lifecycle of the real server (spawned like the Procfile's web line):
 *
 * - start/stop in a loop: each round spawns a server, enqueues a few jobs, sends SIGTERM, and sees
 *   one clean exit (code 0, one `exiting` line, no error lines) with the job table intact (every job
 *   of every round still there, none left running or leased);
 * - long-polls during shutdown: `polls` concurrent `GET /v1/jobs/{id}?wait=30`, each on its own
 *   connection, are all held when SIGTERM arrives: every one is answered (200 with the job, 503
 *   problem+json, or 304 where the poll sent If-None-Match), none hangs or is reset, and the server
 *   exits 0 once.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { enqueueJob, readJobRows, spawnServer } from '../support/process.js';
export async function runStartStopLoop({ database, rounds, jobsPerRound = 3, }) {
    const ids = new Set();
    for (let round = 1; round <= rounds; round++) {
        let server;
        try {
            server = await spawnServer(database, { SHUTDOWN_GRACE_SECONDS: '5' });
            for (let i = 0; i < jobsPerRound; i++) {
                // A mix that is running, queued or done when the signal comes.
                const job = await enqueueJob(server, i % 2 === 0 ? { type: 'count', payload: { to: 50, stepMs: 20 } } : { type: 'echo', payload: { round, i } });
                ids.add(job.id);
            }
            server.kill('SIGTERM');
            const exit = await server.exited;
            const context = `round ${round}: ${server.rawOutput.slice(-5).join(' | ')}`;
            assert.equal(exit.signal, null, `round ${round}: killed by ${exit.signal}`);
            assert.equal(exit.code, 0, `round ${round}: exit code ${exit.code} (${context})`);
            assert.equal(server.logsMatching('exiting').length, 1, `round ${round}: not exactly one "exiting" line`);
            const errors = server.logs.filter((r) => (r.level ?? 0) >= 50);
            assert.deepEqual(errors, [], `round ${round}: error lines`);
        }
        finally {
            await server?.dispose();
        }
        const rows = await readJobRows(database);
        const present = new Set(rows.map((r) => r.id));
        for (const id of ids)
            assert.ok(present.has(id), `round ${round}: job ${id} is gone`);
        for (const row of rows) {
            assert.notEqual(row.state, 'running', `round ${round}: job ${row.id} left running`);
            assert.equal(row.lease_owner, null, `round ${round}: job ${row.id} left leased`);
        }
    }
}
/** One `?wait=30` long-poll on its own connection; re-sent while the server refuses it with 429 (not held yet). */
function openPoll(url, id, token, etag) {
    return new Promise((resolve) => {
        const headers = {
            authorization: `Bearer ${token}`,
            ...(etag ? { 'if-none-match': etag } : {}),
        };
        const request = http.get(`${url}/v1/jobs/${id}?wait=30`, { agent: false, headers }, (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => {
                if (response.statusCode === 429)
                    resolve(openPoll(url, id, token, etag));
                else
                    resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body });
            });
            response.on('error', () => resolve({ status: 'reset', body }));
        });
        request.on('error', (error) => resolve({ status: 'reset', body: error.message }));
        // Safety net far beyond the 5 s grace: a poll still open then was left hanging.
        request.setTimeout(40_000, () => {
            resolve({ status: 'timeout', body: '' });
            request.destroy();
        });
    });
}
export async function runLongPollsDuringShutdown({ database, polls, }) {
    const server = await spawnServer(database, { LONG_POLLS_PER_OWNER: String(polls), SHUTDOWN_GRACE_SECONDS: '5' });
    try {
        // Due in a century: it never changes, so every poll waits its full 30 s unless the shutdown ends it.
        const job = await enqueueJob(server, {
            type: 'echo',
            payload: {},
            ...{ runAt: '2100-01-01T00:00:00Z' },
        });
        const first = await server.request(`/v1/jobs/${job.id}`);
        assert.equal(first.status, 200);
        const etag = first.headers.get('etag');
        assert.ok(etag);
        await first.body?.cancel();
        const token = await server.token({ sub: 'poller', scopes: ['jobs:read', 'admin'] });
        // Half the polls send If-None-Match (a 304 "unchanged" is then a complete answer too), half none (200 or 503).
        const outcomes = Array.from({ length: polls }, (_, i) => openPoll(server.url, job.id, token, i % 2 === 0 ? etag : undefined));
        // All of them are held once one more poll of the same caller is refused with 429 (the limit is
        // exactly `polls`). A probe that got in instead held a slot for a second: a poll refused
        // meanwhile re-sends itself (openPoll), so the count is whole again for the next probe.
        const deadline = Date.now() + 30_000;
        for (;;) {
            const probe = await server.request(`/v1/jobs/${job.id}?wait=1`, { token, headers: { 'if-none-match': etag } });
            await probe.body?.cancel();
            if (probe.status === 429)
                break;
            assert.equal(probe.status, 304, `the probe answered ${probe.status}`);
            assert.ok(Date.now() < deadline, 'the long-polls were not all held within 30 s');
        }
        server.kill('SIGTERM');
        const answers = await Promise.all(outcomes);
        const exit = await server.exited;
        const tally = {};
        for (const [i, answer] of answers.entries())
            tally[`${answer.status}${i % 2 === 0 ? ' (If-None-Match)' : ''}`] =
                (tally[`${answer.status}${i % 2 === 0 ? ' (If-None-Match)' : ''}`] ?? 0) + 1;
        for (const [i, answer] of answers.entries()) {
            const answered = answer.status === 200 || answer.status === 503 || (i % 2 === 0 && answer.status === 304);
            assert.ok(answered, `a long-poll ended ${answer.status}: ${answer.body.slice(0, 200)} (all: ${JSON.stringify(tally)})\n${server.logs
                .filter((r) => r.msg !== 'request')
                .slice(-12)
                .map((r) => JSON.stringify(r))
                .join('\n')}`);
            if (answer.status === 200)
                assert.equal(JSON.parse(answer.body).id, job.id);
            else if (answer.status === 503) {
                assert.match(answer.contentType ?? '', /^application\/problem\+json/);
                assert.equal(JSON.parse(answer.body).status, 503);
            }
        }
        assert.equal(exit.signal, null);
        assert.equal(exit.code, 0, `exit code ${exit.code}`);
        assert.equal(server.logsMatching('exiting').length, 1, 'not exactly one "exiting" line');
        return tally;
    }
    finally {
        await server.dispose();
    }
}
//# sourceMappingURL=stress.js.map