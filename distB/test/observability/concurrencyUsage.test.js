/**
 * What a queued job of a limited type or queue says it waits for (src/observability/concurrencyUsage.ts),
 * from the counts and limiters the store reads: its type's or its queue's `total` or its key's
 * `perKey` full means `concurrency`; a limiter of its type or queue (its key's, for a limit per key)
 * not yet due means `rate-limit`. The store's two reads are given as the rows the database returns
 * (their SQL is run by test/queue/limitedClaim.test.ts), so this file needs no database.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyUsage } from '../../src/observability/concurrencyUsage.js';
describe('ConcurrencyUsage', () => {
    const now = Date.now();
    const store = {
        countLimitedRunning: async () => [
            { scope: 'type', name: 'sync', key: 'a', running: 1 },
            { scope: 'queue', name: 'mail', key: null, running: 2 },
        ],
        readRateLimits: async () => [
            { scope: 'type', name: 'api', key: 'slow', tatMs: now + 60_000 },
            { scope: 'queue', name: 'paced', key: '', tatMs: now + 60_000 },
        ],
    };
    const usage = new ConcurrencyUsage([
        { type: 'sync', perKey: 1, total: null },
        { type: 'api', perKey: null, total: null, intervalMs: 1000, toleranceMs: 0, rateByKey: true },
    ], store, {
        queueLimits: [
            { queue: 'mail', perKey: null, total: 2 },
            { queue: 'paced', perKey: null, total: null, intervalMs: 1000, toleranceMs: 0 },
        ],
    });
    it('knows which jobs limits hold: by type or by queue', () => {
        assert.equal(usage.isLimited('sync'), true);
        assert.equal(usage.isLimited('echo', 'mail'), true);
        assert.equal(usage.isLimited('echo', 'default'), false);
    });
    it("says concurrency when the job's key, type or queue is full", async () => {
        const snapshot = await usage.get();
        const job = (type, queue, concurrencyKey) => ({ type, queue, concurrencyKey });
        assert.equal(usage.atLimit(job('sync', 'default', 'a'), snapshot), true, 'key a at perKey 1');
        assert.equal(usage.atLimit(job('sync', 'default', 'b'), snapshot), false);
        assert.equal(usage.atLimit(job('echo', 'mail', null), snapshot), true, 'queue mail at total 2');
    });
    it("says rate-limit when its own key's limiter, or its queue's, is not yet due", async () => {
        const snapshot = await usage.get();
        assert.equal(usage.atRate({ type: 'api', queue: 'default', concurrencyKey: 'slow' }, snapshot), true);
        assert.equal(usage.atRate({ type: 'api', queue: 'default', concurrencyKey: 'fast' }, snapshot), false);
        assert.equal(usage.atRate({ type: 'echo', queue: 'paced', concurrencyKey: null }, snapshot), true);
        assert.equal(usage.atRate({ type: 'echo', queue: 'default', concurrencyKey: null }, snapshot), false);
    });
});
//# sourceMappingURL=concurrencyUsage.test.js.map