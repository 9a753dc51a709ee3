/**
 * job-runner/testing: a job definition runs with the runner's own context, no server, no database;
 * a test aborts it with a reason and reads its checkpoints, progress, logs and outcome.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import count from '../../jobs/count.js';
import flaky from '../../jobs/flaky.js';
import { defineJob, PermanentError } from '../../src/index.js';
import { InvalidPayloadError, testJob } from '../../src/testing/index.js';
describe('testJob', () => {
    it('runs a job to success and keeps every checkpoint and progress report', async () => {
        const run = testJob(count, { payload: { to: 3, stepMs: 0 } });
        const outcome = await run.outcome;
        assert.deepEqual(outcome, {
            state: 'succeeded',
            result: { counted: 3, resumedFrom: 0, runs: 1 },
            checkpoint: { cursor: 3, runs: 1 },
        });
        assert.deepEqual(run.checkpoints.map((c) => c.cursor), [0, 1, 2, 3]);
        assert.deepEqual(run.progress.map((p) => p.fraction), [1 / 3, 2 / 3, 1]);
        assert.equal(run.progress[2].message, '3 of 3');
    });
    it('aborted with shutdown it is interrupted with its checkpoint, and resumes from it', async () => {
        const payload = { to: 1000, stepMs: 1 };
        const first = testJob(count, { payload });
        await first.untilCheckpoint(3);
        first.abort('shutdown');
        const interrupted = await first.outcome;
        assert.equal(interrupted.state, 'interrupted');
        assert.equal(interrupted.checkpoint?.runs, 1);
        const cursor = interrupted.checkpoint.cursor;
        assert.ok(cursor >= 2 && cursor < 1000, `stopped mid-way at ${cursor}`);
        const second = testJob(count, { payload: { to: cursor + 2, stepMs: 0 }, checkpoint: interrupted.checkpoint });
        const resumed = await second.outcome;
        assert.equal(resumed.state, 'succeeded');
        assert.deepEqual(resumed.state === 'succeeded' && resumed.result, {
            counted: cursor + 2,
            resumedFrom: cursor,
            runs: 2,
        });
    });
    it('tells cancelled and timeout apart, as the runner does', async () => {
        const cancelled = testJob(count, { payload: { to: 1000, stepMs: 5 } });
        cancelled.abort('cancelled');
        assert.equal((await cancelled.outcome).state, 'cancelled');
        const timedOut = testJob(count, { payload: { to: 1000, stepMs: 5 }, timeoutSeconds: 0.02 });
        const outcome = await timedOut.outcome;
        assert.equal(outcome.state, 'retry', 'a timeout is a failed attempt');
    });
    it('decides retry or failed from the attempt, maxAttempts and the retry policy', async () => {
        const retry = await testJob(flaky, { payload: { failTimes: 2 }, attempt: 1, retryBaseMs: 100 }).outcome;
        assert.equal(retry.state, 'retry');
        assert.ok(retry.state === 'retry' && retry.retryDelayMs >= 50 && retry.retryDelayMs <= 100);
        assert.deepEqual(retry.checkpoint, { failed: 1 });
        assert.equal((await testJob(flaky, { payload: { failTimes: 2 }, attempt: 3 }).outcome).state, 'succeeded');
        assert.equal((await testJob(flaky, { payload: { failTimes: 9 }, attempt: 5 }).outcome).state, 'failed');
        const permanent = defineJob({
            name: 'permanent',
            payloadSchema: { type: 'object' },
            async run() {
                throw new PermanentError('the image is corrupt');
            },
        });
        const failed = await testJob(permanent, { payload: {} }).outcome;
        assert.equal(failed.state, 'failed');
        assert.equal(failed.state === 'failed' && failed.error.message, 'the image is corrupt');
    });
    it('keeps log lines and flushes; refuses a payload the schema refuses', async () => {
        const logging = defineJob({
            name: 'logging',
            payloadSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
            async run({ payload, log, saveCheckpoint, flush, signal }) {
                log.info({ n: payload.n }, 'starting');
                saveCheckpoint({ n: payload.n });
                await flush();
                log.warn('almost done');
                await sleep(0, undefined, { signal });
                return null;
            },
        });
        const run = testJob(logging, { payload: { n: 7 }, jobId: '42' });
        await run.outcome;
        assert.deepEqual(run.logs.map(({ level, msg, n, jobId }) => ({ level, msg, n, jobId })), [
            { level: 'info', msg: 'starting', n: 7, jobId: '42' },
            { level: 'warn', msg: 'almost done', n: undefined, jobId: '42' },
        ]);
        assert.deepEqual(run.flushes, [{ n: 7 }]);
        assert.throws(() => testJob(logging, { payload: { n: 'seven' } }), (error) => {
            assert.ok(error instanceof InvalidPayloadError);
            assert.deepEqual(error.problems, [{ pointer: '/n', message: 'must be integer' }]);
            return true;
        });
    });
});
describe('testJob with checkpoint versions and a checkpoint schema', () => {
    /** Version 2 stores `{cursor}`; version 1 stored `{position}`; version 0 never existed. */
    const paged = defineJob({
        name: 'paged',
        payloadSchema: { type: 'object' },
        checkpointVersion: 2,
        checkpointSchema: {
            type: 'object',
            properties: { cursor: { type: 'integer', minimum: 0 } },
            required: ['cursor'],
            additionalProperties: false,
        },
        migrateCheckpoint(old, fromVersion) {
            if (fromVersion === 1)
                return { cursor: old.position };
            if (fromVersion === 3)
                return { cursor: -1 }; // fails the schema
            throw new Error(`cannot read version ${fromVersion}`);
        },
        async run({ checkpoint, saveCheckpoint }) {
            if (checkpoint)
                saveCheckpoint({ cursor: checkpoint.cursor + 1 });
            return { resumedFrom: checkpoint?.cursor ?? null };
        },
    });
    const warnings = (run) => run.logs.filter((line) => line.level === 'warn').map((line) => line.msg);
    it('passes a checkpoint of the type’s own version as it is', async () => {
        const run = testJob(paged, { payload: {}, checkpoint: { cursor: 4 } });
        assert.deepEqual((await run.outcome).state === 'succeeded' && run.resumedFrom, { cursor: 4 });
        assert.deepEqual(warnings(run), []);
    });
    it('migrates a checkpoint of an earlier version before the run sees it', async () => {
        const run = testJob(paged, {
            payload: {},
            checkpoint: { position: 9 },
            checkpointVersion: 1,
        });
        const outcome = await run.outcome;
        assert.deepEqual(outcome.state === 'succeeded' && outcome.result, { resumedFrom: 9 });
        assert.deepEqual(warnings(run), []);
    });
    it('starts fresh with a warning when the migration throws, its answer fails the schema, or the stored one does', async () => {
        for (const [checkpointVersion, checkpoint, why] of [
            [7, { cursor: 1 }, /version 7 and paged is now at version 2, and migrateCheckpoint threw: cannot read version 7/],
            [3, { cursor: 1 }, /what migrateCheckpoint made of it fails the checkpointSchema: \/cursor must be >= 0/],
            [2, { cursor: 'x' }, /fails the checkpointSchema of paged: \/cursor must be integer/],
        ]) {
            const run = testJob(paged, {
                payload: {},
                checkpoint: checkpoint,
                checkpointVersion,
            });
            const outcome = await run.outcome;
            assert.deepEqual(outcome.state === 'succeeded' && outcome.result, { resumedFrom: null });
            assert.equal(run.resumedFrom, undefined);
            const [warning, ...more] = warnings(run);
            assert.match(warning ?? '', /^starting fresh: the stored checkpoint /);
            assert.match(warning, why);
            assert.deepEqual(more, []);
        }
    });
    it('starts fresh without a migration, and saveCheckpoint refuses what the schema refuses, naming the type', async () => {
        const noMigration = defineJob({
            name: 'strict',
            payloadSchema: { type: 'object' },
            checkpointVersion: 2,
            checkpointSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
            async run({ checkpoint, saveCheckpoint }) {
                assert.equal(checkpoint, undefined);
                saveCheckpoint({ n: 'one' });
                return null;
            },
        });
        const run = testJob(noMigration, { payload: {}, checkpoint: { n: 1 }, checkpointVersion: 1 });
        const outcome = await run.outcome;
        assert.equal(outcome.state, 'retry');
        assert.ok(outcome.state === 'retry');
        assert.equal(outcome.error.name, 'CheckpointSchemaError');
        assert.match(outcome.error.message, /^job type strict: saveCheckpoint refused .*\/n must be integer/);
        assert.match(warnings(run)[0] ?? '', /version 1 and strict is now at version 2, with no migrateCheckpoint/);
    });
    it('refuses checkpoint options that could not work, naming the job', () => {
        const base = { name: 'opts', payloadSchema: { type: 'object' }, run: async () => null };
        assert.throws(() => defineJob({ ...base, checkpointVersion: 0 }), /job opts: checkpointVersion must be a positive integer/);
        assert.throws(() => defineJob({ ...base, migrateCheckpoint: 'no' }), /job opts: migrateCheckpoint must be a function/);
        assert.throws(() => defineJob({ ...base, checkpointSchema: [] }), /job opts: checkpointSchema must be/);
    });
});
//# sourceMappingURL=jobHarness.test.js.map