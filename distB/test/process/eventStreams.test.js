/**
 * An EventSource (the `eventsource` package) follows a `count` job across a SIGTERM of the instance
 * it is connected to: the stream gets `event: shutdown` with a retry hint before the process exits,
 * the client reconnects, as through a load balancer, to the other instance with its Last-Event-ID,
 * and sees every stored state of the job once (the second run as a state of its own), progress from
 * both runs, and the result of the run that resumed from the checkpoint. On PostgreSQL the two
 * instances run side by side; on the embedded database (one process per data folder) the second
 * starts once the first has exited.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { followEvents } from '../support/events.js';
import { enqueueJob, processFixture, waitForJob } from '../support/process.js';
for (const target of databaseTargets()) {
    const once = { skip: onceSkip(target, 'a client reconnecting over HTTP') };
    describe(`process: an event stream across a SIGTERM (${target.name})`, once, () => {
        const { spawn, createDatabase } = processFixture(target);
        it('follows a count job through the SIGTERM of its instance, each state once, resumed by Last-Event-ID', async () => {
            const database = await createDatabase();
            const env = { SHUTDOWN_GRACE_SECONDS: '5', CHECKPOINT_INTERVAL_SECONDS: '0.1' };
            const first = await spawn(database, env);
            const job = await enqueueJob(first, { type: 'count', payload: { to: 100, stepMs: 100 } });
            let current = first;
            const follower = followEvents(`${first.url}/v1/jobs/${job.id}/events`, () => first.token(), {
                // The load balancer: the instance that is up now (or about to be).
                route: async (url) => new URL(url.pathname + url.search, (await current).url),
            });
            try {
                await follower.waitFor((e) => e.type === 'progress' && e.data.fraction >= 0.2);
                await waitForJob(first, job.id, (j) => (j.checkpoint?.cursor ?? 0) > 0, { description: 'a checkpoint' });
                let second;
                if (target.name === 'postgres') {
                    const started = await spawn(database, env);
                    second = Promise.resolve(started);
                }
                else {
                    second = first.exited.then(() => spawn(database, env));
                }
                current = second;
                first.kill('SIGTERM');
                const shutdown = await follower.waitFor((e) => e.type === 'shutdown');
                assert.ok(first.alive || (await first.exited).code === 0);
                assert.deepEqual(shutdown.data, { retryMs: 1000 });
                const exit = await first.exited;
                assert.equal(exit.code, 0);
                await follower.closed(60_000);
                const states = follower.events.filter((e) => e.type === 'state').map((e) => e.data);
                const last = states.at(-1);
                assert.equal(last.state, 'succeeded', JSON.stringify(follower.events));
                assert.equal(last.result?.runs, 2);
                assert.ok((last.result?.resumedFrom ?? 0) > 0);
                // Every stored state once: no (state, run) twice, and the ids (the rows' versions) only grow.
                const keys = states.map((s) => `${s.state}@${s.startedAt}`);
                assert.equal(new Set(keys).size, keys.length, JSON.stringify(keys));
                const runs = new Set(states.filter((s) => s.state === 'running').map((s) => s.startedAt));
                assert.equal(runs.size, 2, JSON.stringify({
                    keys,
                    connections: follower.connections,
                    events: follower.events.map((e) => [e.type, e.id]),
                }));
                const ids = follower.events.filter((e) => e.type === 'state').map((e) => e.id);
                assert.deepEqual([...ids].sort(), ids);
                // The reconnect carried the last id seen before the shutdown, and progress came from the second run too.
                assert.ok(follower.connections.length >= 2);
                const resumedWith = follower.connections[1];
                assert.ok(resumedWith?.startsWith('2') && resumedWith.includes(`.${job.id}.`), String(resumedWith));
                const shutdownAt = follower.events.findIndex((e) => e.type === 'shutdown');
                assert.ok(follower.events.slice(shutdownAt).some((e) => e.type === 'progress'));
            }
            finally {
                follower.close();
            }
        });
    });
}
//# sourceMappingURL=eventStreams.test.js.map