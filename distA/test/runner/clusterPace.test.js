/**
 * The cluster's pace of maintenance (src/runner/clusterPace.ts) against each database: the live
 * instances are counted from their heartbeats, long-silent ones are forgotten by the same count, a
 * count is reused until it is `recountMs` old, and an instance's sweeps are spaced by the interval
 * times the count, half either side at random. So N instances sweep, together, about once an interval.
 */
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { suiteDatabase } from '../support/suiteDatabase.js';
import { databaseTargets } from '../support/databases.js';
import { JobStore } from '../../src/queue/store.js';
import { ClusterPace } from '../../src/runner/clusterPace.js';
const LEASE_MS = 30_000;
for (const target of databaseTargets()) {
    describe(`ClusterPace on ${target.name}`, { timeout: 60_000 }, () => {
        let db;
        let store;
        suiteDatabase(target, (_, connected) => {
            db = connected;
            store = new JobStore(db.sql, db.schema);
        });
        beforeEach(async () => {
            await db.sql `truncate job_runner.job_runner_instances`;
        });
        const register = async (beatSecondsAgo = 0) => {
            const id = randomUUID();
            await store.registerInstance({ id, hostname: 'h', pid: 1, queues: ['default'] });
            await db.sql `update job_runner.job_runner_instances set heartbeat_at = now() - ${beatSecondsAgo} * interval '1 second' where id = ${id}`;
            return id;
        };
        it('spaces sweeps by the live instances, counting those that beat within a lease', async () => {
            const pace = new ClusterPace({ leaseMs: LEASE_MS }, store);
            assert.equal(pace.size, 1, 'before any count: this instance alone');
            assert.equal(pace.spread(1000, 0.5), 1000);
            await register();
            await register(10);
            await register(20);
            await register(45); // more than a lease: not live, not yet forgotten
            await pace.recount();
            assert.equal(pace.size, 3);
            assert.equal(pace.spread(1000, 0.5), 3000);
            assert.equal(pace.spread(1000, 0), 1500, 'half the spacing at the least');
            assert.equal(pace.spread(1000, 0.999), 4497, 'one and a half at the most');
            const [{ n }] = (await db.sql `select count(*)::int as n from job_runner.job_runner_instances`);
            assert.equal(n, 4, 'an instance one lease silent is not forgotten yet');
        });
        it('forgets instances silent for ten leases, reuses a count until it is recountMs old, and never counts below one', async () => {
            const pace = new ClusterPace({ leaseMs: LEASE_MS, recountMs: 10_000 }, store);
            const gone = await register(10 * 30 + 5);
            await register();
            await pace.recount(1_000_000);
            assert.equal(pace.size, 1);
            const [row] = await db.sql `select id from job_runner.job_runner_instances where id = ${gone}`;
            assert.equal(row, undefined, 'forgotten');
            await register();
            await pace.recount(1_009_999);
            assert.equal(pace.size, 1, 'the count is not yet recountMs old');
            await pace.recount(1_010_000);
            assert.equal(pace.size, 2);
            await db.sql `truncate job_runner.job_runner_instances`;
            await pace.recount(1_020_000);
            assert.equal(pace.size, 1, 'with no live heartbeat at all (this one not yet beating), still this instance');
        });
    });
}
//# sourceMappingURL=clusterPace.test.js.map