/**
 * defineJob's checks of a retry policy, and the errors that steer retries: a bad policy stops the
 * job file from loading with a message naming the job and the field. So do concurrency limits that
 * could not work.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineJob, PermanentError, RetryAfterError } from '../../jobs/defineJob.js';
import { decideRetry } from '../../src/runner/retryPolicy.js';
const base = { payloadSchema: { type: 'object' }, run: async () => null };
describe('defineJob retry policy', () => {
    it('accepts a partial defaults.retry or a retryDelay function', () => {
        const shaped = defineJob({ ...base, name: 'shaped', defaults: { retry: { baseMs: 500, jitter: 0 } } });
        assert.deepEqual(shaped.defaults.retry, { baseMs: 500, jitter: 0 });
        const decided = defineJob({ ...base, name: 'decided', retryDelay: () => null });
        assert.equal(typeof decided.retryDelay, 'function');
    });
    it('refuses a bad policy, naming the job and the field', () => {
        const cases = [
            [{ baseMs: 0 }, undefined, /job bad: defaults\.retry\.baseMs must be a positive number of milliseconds, not 0/],
            [{ maxMs: -1 }, undefined, /job bad: defaults\.retry\.maxMs must be a positive/],
            [{ factor: 0.5 }, undefined, /job bad: defaults\.retry\.factor must be a number of at least 1/],
            [{ jitter: 2 }, undefined, /job bad: defaults\.retry\.jitter must be a number from 0 to 1/],
            [{ baseMs: '10' }, undefined, /job bad: defaults\.retry\.baseMs must be .*not "10"/],
            [{ baseMs: Number.NaN }, undefined, /job bad: defaults\.retry\.baseMs/],
            [
                { base: 10 },
                undefined,
                /job bad: defaults\.retry\.base is not a retry setting \(baseMs, maxMs, factor, jitter\)/,
            ],
            [
                { baseMs: 1000, maxMs: 10 },
                undefined,
                /job bad: defaults\.retry\.maxMs \(10\) must not be below defaults\.retry\.baseMs \(1000\)/,
            ],
            [[], undefined, /job bad: defaults\.retry must be an object/],
            [undefined, 5, /job bad: retryDelay must be a function/],
            [{ baseMs: 10 }, () => 1, /job bad: give defaults\.retry or retryDelay, not both/],
        ];
        for (const [retry, retryDelay, message] of cases) {
            assert.throws(() => defineJob({
                ...base,
                name: 'bad',
                defaults: { retry },
                ...(retryDelay === undefined ? {} : { retryDelay: retryDelay }),
            }), message, JSON.stringify(retry));
        }
    });
    it('RetryAfterError refuses a delay that is not a non-negative number', () => {
        assert.throws(() => new RetryAfterError(-1), /retryAfterMs must be a non-negative number/);
        assert.throws(() => new RetryAfterError(Number.POSITIVE_INFINITY), RangeError);
        assert.equal(new RetryAfterError(10).message, 'retry after 10 ms');
    });
});
describe('decideRetry', () => {
    const options = { defaultBaseMs: 1000, onPolicyError: () => assert.fail('no policy error expected') };
    const job = (extra) => defineJob({ ...base, name: 'x', ...extra });
    it('PermanentError gives up; RetryAfterError waits exactly its delay, whatever the policy', () => {
        const decided = job({ retryDelay: () => 5 });
        assert.deepEqual(decideRetry(decided, 1, new PermanentError('no'), options), { delayMs: 0, giveUp: true });
        assert.deepEqual(decideRetry(decided, 1, new RetryAfterError(1234), options), { delayMs: 1234, giveUp: false });
    });
    it('the default backoff over the service base, shaped by defaults.retry', () => {
        const plain = decideRetry(job({}), 1, new Error('x'), options);
        assert.ok(plain.delayMs >= 500 && plain.delayMs <= 1000 && !plain.giveUp);
        assert.deepEqual(decideRetry(job({ defaults: { retry: { factor: 10, jitter: 0 } } }), 3, new Error('x'), options), {
            delayMs: 100_000,
            giveUp: false,
        });
        assert.deepEqual(decideRetry(job({ defaults: { retry: { baseMs: 10, maxMs: 50, jitter: 0 } } }), 9, new Error('x'), options), { delayMs: 50, giveUp: false });
    });
    it('a retryDelay answer that is not a delay falls back to the default and reports it', () => {
        const reported = [];
        const decision = decideRetry(job({ retryDelay: () => Number.NaN }), 1, new Error('x'), {
            defaultBaseMs: 1000,
            onPolicyError: (e) => reported.push(e),
        });
        assert.equal(decision.giveUp, false);
        assert.ok(decision.delayMs >= 500 && decision.delayMs <= 1000);
        assert.match(String(reported[0]), /retryDelay returned NaN/);
    });
});
describe('defineJob concurrency limits', () => {
    it('accepts perKey and total as positive integers, each optional', () => {
        assert.deepEqual(defineJob({ ...base, name: 'limited', concurrency: { perKey: 1, total: 5 } }).concurrency, {
            perKey: 1,
            total: 5,
        });
        assert.deepEqual(defineJob({ ...base, name: 'limited', concurrency: { total: 2 } }).concurrency, { total: 2 });
    });
    it('refuses a limit of 0 or less, a fraction, a string or an unknown field, naming the job and the field', () => {
        const cases = [
            [{ perKey: 0 }, /job bad: concurrency\.perKey must be a positive integer, not 0/],
            [{ total: -3 }, /job bad: concurrency\.total must be a positive integer, not -3/],
            [{ total: 1.5 }, /job bad: concurrency\.total must be a positive integer, not 1\.5/],
            [{ perKey: '2' }, /job bad: concurrency\.perKey must be a positive integer, not "2"/],
            [{ perkey: 2 }, /job bad: concurrency\.perkey is not a concurrency limit \(perKey, total\)/],
            [5, /job bad: concurrency must be an object/],
        ];
        for (const [concurrency, message] of cases) {
            assert.throws(() => defineJob({ ...base, name: 'bad', concurrency: concurrency }), message);
        }
    });
});
describe('defineJob rate limit', () => {
    it('accepts limit and periodMs, with an optional burst and a limit per key', () => {
        const rateLimit = { limit: 10, periodMs: 1000, burst: 2 };
        assert.deepEqual(defineJob({ ...base, name: 'rated', rateLimit }).rateLimit, rateLimit);
        const perKey = { limit: 1, periodMs: 1000, key: true };
        assert.deepEqual(defineJob({ ...base, name: 'rated', rateLimit: perKey }).rateLimit, perKey);
    });
    it('refuses a rate limit without limit, with a limit of 0 or less, or an unknown field, naming the field', () => {
        const cases = [
            [{ periodMs: 1000 }, /job bad: rateLimit\.limit is required/],
            [{ limit: 0, periodMs: 1000 }, /job bad: rateLimit\.limit must be a positive integer, not 0/],
            [{ limit: 5, periodMs: -1 }, /job bad: rateLimit\.periodMs must be a number of milliseconds/],
            [{ limit: 5 }, /job bad: rateLimit\.periodMs is required/],
            [{ limit: 5, periodMs: 1000, burst: 0 }, /job bad: rateLimit\.burst must be a positive integer, not 0/],
            [
                { limit: 5, periodMs: 1000, key: 'tenant' },
                /job bad: rateLimit\.key must be true \(a limit per concurrencyKey\) or false/,
            ],
            [{ limit: 5, periodMs: 1000, every: 2 }, /job bad: rateLimit\.every is not a rate limit setting/],
            ['fast', /job bad: rateLimit must be an object/],
        ];
        for (const [rateLimit, message] of cases) {
            assert.throws(() => defineJob({ ...base, name: 'bad', rateLimit: rateLimit }), message);
        }
    });
});
//# sourceMappingURL=defineJob.test.js.map