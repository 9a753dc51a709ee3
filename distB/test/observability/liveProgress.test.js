/**
 * Progress reaches watchers within a fraction of a second, without a write per report: the board's
 * throttle on its own, then a real service on each database whose checkpoint interval is an hour
 * (so only the live path can deliver) — a `?wait` long-poll answers with the new fraction as soon
 * as the job reports it, the row keeps its old progress until the outcome, and the job's event
 * stream gets a `progress` event while no checkpoint of it has been flushed — and on PostgreSQL the
 * same through a second instance that does not run the job. (The 250 ms figures: bench/pushes.ts.)
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { defineJob } from '../../jobs/defineJob.js';
import { JobRegistry, loadJobRegistry } from '../../jobs/registry.js';
import { LiveProgress } from '../../src/observability/liveProgress.js';
import { databaseTargets, postgresOnly } from '../support/databases.js';
import { enqueue, expectJson, pollUntil } from '../support/http.js';
import { startTestService } from '../support/service.js';
/** The jobs of type `reporter` running now, each driven by the test. */
const reporters = new Map();
const reporterStarted = new EventEmitter();
const reporter = defineJob({
    name: 'reporter',
    payloadSchema: { type: 'object' },
    async run({ jobId, progress, signal }) {
        progress(0.1, 'started');
        await new Promise((resolve, reject) => {
            reporters.set(jobId, { report: progress, finish: resolve });
            signal.addEventListener('abort', () => reject(new Error(String(signal.reason))), { once: true });
            reporterStarted.emit('started', jobId);
        });
        reporters.delete(jobId);
        return { done: true };
    },
});
async function registryWithReporter() {
    const shipped = await loadJobRegistry();
    return new JobRegistry([...shipped.names().map((name) => shipped.get(name)), reporter]);
}
/** Enqueues a reporter on `service` and resolves once it runs and awaits the test's reports. */
async function startReporter(service) {
    const job = await enqueue(service, { type: 'reporter' });
    while (!reporters.has(job.id))
        await once(reporterStarted, 'started');
    return { id: job.id, control: reporters.get(job.id) };
}
/**
 * Waits until `watcher` shows the job started, with the progress it reported at its start: another
 * instance hears of the first report through a notification, which would otherwise end the test's
 * long-poll before its report.
 */
function settledIntoRunning(watcher, id) {
    return pollUntil(watcher, id, (job) => job.startedAt !== null && job.progress?.fraction === 0.1);
}
/** Opens a `?wait` long-poll on `watcher` from the job's current ETag there; resolves with the answer and when it came. */
async function longPoll(watcher, id) {
    const first = await watcher.request(`/v1/jobs/${id}`);
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag');
    const response = watcher.request(`/v1/jobs/${id}?wait=30`, { headers: { 'if-none-match': etag } });
    // Let the long-poll reach its wait before the report: otherwise its first read might already see it.
    await new Promise((resolve) => setTimeout(resolve, 150));
    return { job: response.then(async (r) => ({ job: await expectJson(r, 200), at: Date.now() })) };
}
/**
 * Opens the job's event stream on `watcher` and resolves once its first event (the job's state) is
 * in: from then on the stream is in the hub, so a report is sent as a `progress` event.
 * `progressAt` resolves with the first progress event at `fraction`.
 */
async function openStream(watcher, id) {
    const response = await watcher.request(`/v1/jobs/${id}/events`);
    assert.equal(response.status, 200);
    const reader = response.body.getReader();
    let text = '';
    while (!text.includes('\n\n'))
        text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /^event: state\n/);
    return {
        async progressAt(fraction) {
            const event = new RegExp(`event: progress\nid: [^\n]+\ndata: (\\{[^\n]*"fraction":${fraction}[,}][^\n]*)\n\n`);
            while (!event.test(text))
                text += new TextDecoder().decode((await reader.read()).value);
            return JSON.parse(event.exec(text)[1]);
        },
        close: () => reader.cancel(),
    };
}
/** The target is 250 ms; the slack covers a loaded two-core test machine. */
const LATENCY_LIMIT_MS = 600;
describe('LiveProgress (the board)', () => {
    it('announces at most once per throttle window per job, the last report of a burst included', async () => {
        const changes = [];
        const published = [];
        const board = new LiveProgress({ onChange: (id) => changes.push(id), onPublish: (_id, p) => published.push(p.fraction) }, { throttleMs: 100 });
        for (let i = 1; i <= 50; i++)
            board.report('7', { fraction: i / 100 });
        assert.equal(board.get('7')?.fraction, 0.5, 'readers see the latest report at once');
        assert.deepEqual(published, [0.01], 'the first report goes out at once, the rest wait for the window');
        await new Promise((resolve) => setTimeout(resolve, 160));
        assert.deepEqual(published, [0.01, 0.5], 'the trailing publish carries the last report');
        assert.equal(changes.length, 2);
        board.forget('7');
        assert.equal(board.get('7'), undefined);
        board.clear();
    });
    it('stays bounded whatever other instances send', () => {
        const board = new LiveProgress({ onChange: () => { } }, { maxEntries: 3 });
        for (let i = 1; i <= 10; i++)
            board.accept(String(i), { fraction: 0.5 });
        assert.equal(board.size, 3);
        assert.equal(board.get('10')?.fraction, 0.5);
        assert.equal(board.get('1'), undefined);
    });
});
for (const target of databaseTargets()) {
    describe(`live progress to ?wait watchers (${target.name})`, () => {
        let database;
        let service;
        before(async () => {
            database = await target.create();
            // An hour between checkpoint flushes: only the live path can deliver progress in this test.
            service = await startTestService(database, { CHECKPOINT_INTERVAL_SECONDS: '3600' }, { registry: await registryWithReporter() });
        });
        after(async () => {
            await service?.close();
            await database?.cleanup();
        });
        it('answers a long-poll with the new fraction within a fraction of a second, without writing it', async (t) => {
            const { id, control } = await startReporter(service);
            await settledIntoRunning(service, id);
            for (const [fraction, message] of [
                [0.42, 'forty-two'],
                [0.92, undefined],
            ]) {
                const { job } = await longPoll(service, id);
                const reportedAt = Date.now();
                control.report(fraction, message);
                const answer = await job;
                assert.deepEqual(answer.job.progress, message === undefined ? { fraction } : { fraction, message });
                assert.ok(answer.at - reportedAt < LATENCY_LIMIT_MS, `answered ${answer.at - reportedAt} ms after the report`);
                t.diagnostic(`answered ${answer.at - reportedAt} ms after the report`);
            }
            // The table has not been written since the start: no write per report.
            const row = await service.store.getJob({ id, owner: undefined });
            assert.equal(row?.progress, null);
            const settled = service.runner.events.waitFor('job:settled', (e) => e.job.id === id);
            control.finish();
            await settled;
            const done = await pollUntil(service, id, (job) => job.state === 'succeeded');
            assert.deepEqual(done.progress, { fraction: 0.92 }, 'the outcome writes the last progress');
        });
        it('sends a progress event to the job’s stream before any checkpoint of it is flushed', async () => {
            const flushed = [];
            const off = service.runner.events.on('job:checkpoint', ({ ids }) => flushed.push(...ids));
            try {
                const { id, control } = await startReporter(service);
                const stream = await openStream(service, id);
                control.report(0.64, 'sixty-four');
                assert.deepEqual(await stream.progressAt(0.64), { jobId: id, fraction: 0.64, message: 'sixty-four' });
                assert.ok(!flushed.includes(id), 'no checkpoint flush of the job came before the event');
                assert.equal((await service.store.getJob({ id, owner: undefined }))?.progress, null, 'nor any write');
                await stream.close();
                const settled = service.runner.events.waitFor('job:settled', (e) => e.job.id === id);
                control.finish();
                await settled;
            }
            finally {
                off();
            }
        });
    });
}
const postgres = postgresOnly();
describe('live progress across instances (postgres)', { skip: postgres ? false : 'needs TEST_DATABASE_URL' }, () => {
    let database;
    let runnerInstance;
    let watcherInstance;
    before(async () => {
        database = await postgres.create();
        const registry = await registryWithReporter();
        runnerInstance = await startTestService(database, { CHECKPOINT_INTERVAL_SECONDS: '3600' }, { registry });
        // Serves another queue: it never runs the reporter, it only watches it.
        watcherInstance = await startTestService(database, { CHECKPOINT_INTERVAL_SECONDS: '3600', QUEUES: 'elsewhere' }, { registry });
    });
    after(async () => {
        await watcherInstance?.close();
        await runnerInstance?.close();
        await database?.cleanup();
    });
    it("answers a long-poll on another instance with the new fraction, through the database's notifications", async (t) => {
        const { id, control } = await startReporter(runnerInstance);
        assert.deepEqual(runnerInstance.runner.runningJobIds, [id]);
        await settledIntoRunning(watcherInstance, id);
        for (const [fraction, message] of [
            [0.3, 'a third'],
            [0.75, 'most'],
        ]) {
            const { job } = await longPoll(watcherInstance, id);
            const reportedAt = Date.now();
            control.report(fraction, message);
            const answer = await job;
            assert.deepEqual(answer.job.progress, { fraction, message });
            assert.ok(answer.at - reportedAt < LATENCY_LIMIT_MS, `answered ${answer.at - reportedAt} ms after the report`);
            t.diagnostic(`answered ${answer.at - reportedAt} ms after the report`);
        }
        assert.equal((await watcherInstance.store.getJob({ id, owner: undefined }))?.progress, null, 'not written to the table');
        control.finish();
        const done = await pollUntil(watcherInstance, id, (job) => job.state === 'succeeded');
        assert.deepEqual(done.progress, { fraction: 0.75, message: 'most' });
    });
    it('sends a progress event to a stream on another instance before any checkpoint of it is flushed', async () => {
        const flushed = [];
        const off = runnerInstance.runner.events.on('job:checkpoint', ({ ids }) => flushed.push(...ids));
        try {
            const { id, control } = await startReporter(runnerInstance);
            await settledIntoRunning(watcherInstance, id);
            const stream = await openStream(watcherInstance, id);
            control.report(0.36, 'relayed');
            assert.deepEqual(await stream.progressAt(0.36), { jobId: id, fraction: 0.36, message: 'relayed' });
            assert.ok(!flushed.includes(id), 'no checkpoint flush of the job came before the event');
            await stream.close();
            control.finish();
            await pollUntil(watcherInstance, id, (job) => job.state === 'succeeded');
        }
        finally {
            off();
        }
    });
});
//# sourceMappingURL=liveProgress.test.js.map