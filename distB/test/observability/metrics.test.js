/**
 * The job histograms on their own: the runner's starts and settles are observed off prom-client and
 * written into it when the metrics are read, and a scrape must show exactly what prom-client fed one
 * `observe` at a time would (buckets, +Inf, count and sum, series in the same order), across scrapes
 * and after the label-set cache started over; and the same for the HTTP request metrics.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { LabelBounds } from '../../src/observability/labelBounds.js';
import { ServiceMetrics } from '../../src/observability/metrics.js';
import { toJob } from '../../src/queue/job.js';
import { insertedJobRow } from '../../src/queue/store.js';
import { TypedEmitter } from '../../src/runner/events.js';
import { newJob } from '../support/engine.js';
const WAIT = 'job_runner_job_queue_wait_seconds';
const RUN = 'job_runner_job_run_duration_seconds';
const RUN_AT = Date.parse('2026-01-01T00:00:00.000Z');
function job(id, type, queue, waitedMs) {
    const row = insertedJobRow('alice', newJob({ type, queue }), {
        id: String(id),
        run_at: new Date(RUN_AT).toISOString(),
        created_at: new Date(RUN_AT).toISOString(),
    });
    return { ...toJob(row), startedAt: new Date(RUN_AT + waitedMs).toISOString() };
}
const bounded = (value, declared) => (declared.includes(value) ? value : 'other');
/** The lines of one metric family in a scrape, from its HELP line to the blank line after it. */
function family(text, name) {
    const lines = text.split('\n');
    const start = lines.indexOf(lines.find((line) => line.startsWith(`# HELP ${name} `)));
    assert.ok(start >= 0, `${name} is scraped`);
    const end = lines.indexOf('', start);
    return lines.slice(start, end === -1 ? undefined : end);
}
describe('job histograms', () => {
    it('scrape as prom-client fed one observation at a time would, across scrapes', async (t) => {
        let now = 1000;
        t.mock.method(performance, 'now', () => now);
        const runner = { events: new TypedEmitter(), runningJobs: 0 };
        const metrics = new ServiceMetrics({
            runner,
            lifecycle: { events: new TypedEmitter(), state: 'running' },
            jobs: { events: new TypedEmitter(), get: () => Promise.resolve(undefined) },
            queueDepth: () => Promise.resolve([]),
            labels: new LabelBounds({ queues: ['default', 'reports'], types: ['echo', 'flaky'] }),
            concurrency: 4,
            log: pino({ level: 'silent' }),
        }, { defaultMetrics: false });
        t.after(() => metrics.stop());
        const reference = new Registry();
        const wait = new Histogram({
            name: WAIT,
            help: 'From when a job became runnable (enqueued, or its runAt) to the start of its run.',
            labelNames: ['type', 'queue'],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
            registers: [reference],
        });
        const run = new Histogram({
            name: RUN,
            help: 'How long runs took, by outcome.',
            labelNames: ['type', 'queue', 'outcome'],
            buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400],
            registers: [reference],
        });
        let id = 0;
        /** One run through the runner's events, and the same observations made on the reference. */
        const runJob = (type, queue, waitedMs, ranMs, outcome) => {
            const started = job(++id, type, queue, waitedMs);
            runner.events.emit('job:start', { job: started, startedAt: RUN_AT + waitedMs });
            // The outcome's write takes its time after the run: the run's duration is the code's alone.
            now += ranMs + 1000;
            runner.events.emit('job:settled', { job: started, outcome, ranMs });
            const labels = { type: bounded(type, ['echo', 'flaky']), queue: bounded(queue, ['default', 'reports']) };
            wait.observe(labels, waitedMs / 1000);
            run.observe({ ...labels, outcome }, ranMs / 1000);
        };
        const scrapesAlike = async () => {
            const [ours, theirs] = [await metrics.render(), await reference.metrics()];
            for (const name of [WAIT, RUN])
                assert.deepEqual(family(ours, name), family(theirs, name));
        };
        // Every bucket, one past the last (+Inf alone), and several label sets and outcomes.
        runJob('echo', 'default', 3, 2, 'succeeded');
        runJob('echo', 'default', 8, 20, 'succeeded');
        runJob('flaky', 'reports', 40, 90, 'retry');
        runJob('echo', 'default', 7_200_000, 20_000_000, 'failed');
        runJob('echo', 'nowhere', 250, 500, 'succeeded');
        for (const ms of [0, 1, 24, 60, 120, 400, 900, 2000, 4000, 9000, 20_000, 50_000, 200_000, 600_000, 3_000_000])
            runJob('flaky', 'default', ms, ms, 'succeeded');
        await scrapesAlike();
        const counted = family(await metrics.render(), WAIT).find((line) => line.startsWith(`${WAIT}_count{type="echo",queue="default"}`));
        assert.equal(counted, `${WAIT}_count{type="echo",queue="default"} 3`);
        // The second scrape adds to the first (values a double sums exactly in any order).
        runJob('echo', 'default', 500, 250, 'succeeded');
        runJob('echo', 'reports', 125, 4000, 'cancelled');
        await scrapesAlike();
        // A read with nothing new changes nothing.
        await scrapesAlike();
        // More type and queue pairs than the label-set cache keeps: it starts over, and the label sets
        // made again for the same values add to the same series.
        for (let i = 0; i < 1100; i++)
            runJob('echo', `client-queue-${i}`, 250, 125, 'succeeded');
        runJob('echo', 'default', 1000, 500, 'succeeded');
        await scrapesAlike();
        const ours = await metrics.render();
        assert.ok(ours.includes(`${WAIT}_count{type="echo",queue="other"} 1101\n`));
        assert.ok(ours.includes(`${RUN}_bucket{le="+Inf",type="echo",queue="default",outcome="succeeded"} 4\n`));
    });
});
describe('HTTP request metrics', () => {
    it('scrape as prom-client fed one request at a time would, across scrapes', async (t) => {
        const metrics = new ServiceMetrics({
            runner: { events: new TypedEmitter(), runningJobs: 0 },
            lifecycle: { events: new TypedEmitter(), state: 'running' },
            jobs: { events: new TypedEmitter(), get: () => Promise.resolve(undefined) },
            queueDepth: () => Promise.resolve([]),
            labels: new LabelBounds({ queues: ['default'], types: ['echo'] }),
            concurrency: 4,
            log: pino({ level: 'silent' }),
        }, { defaultMetrics: false });
        t.after(() => metrics.stop());
        const REQUESTS = 'job_runner_http_requests_total';
        const DURATION = 'job_runner_http_request_duration_seconds';
        const reference = new Registry();
        const labelNames = ['method', 'route', 'status'];
        const requests = new Counter({
            name: REQUESTS,
            help: 'HTTP requests answered, by route pattern and status.',
            labelNames,
            registers: [reference],
        });
        const duration = new Histogram({
            name: DURATION,
            help: 'HTTP request latency, by route pattern and status (long-polls included).',
            labelNames,
            buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
            registers: [reference],
        });
        const request = (method, route, status, ms) => {
            metrics.observeRequest({ method, route, status, seconds: ms / 1000 });
            const labels = { method: ['GET', 'POST'].includes(method) ? method : 'other', route, status: String(status) };
            requests.inc(labels);
            duration.observe(labels, ms / 1000);
        };
        const scrapesAlike = async () => {
            const [ours, theirs] = [await metrics.render(), await reference.metrics()];
            for (const name of [REQUESTS, DURATION])
                assert.deepEqual(family(ours, name), family(theirs, name));
        };
        for (const ms of [0.5, 2, 8, 20, 40, 80, 200, 400, 800, 2000, 4000, 8000, 20_000, 50_000, 90_000])
            request('POST', '/v1/jobs', 202, ms);
        request('GET', '/v1/jobs/:id', 200, 3);
        request('GET', '/v1/jobs/:id', 404, 1);
        request('BREW', 'unmatched', 405, 0.25);
        await scrapesAlike();
        request('POST', '/v1/jobs', 202, 4);
        request('GET', '/v1/jobs/:id', 200, 16);
        await scrapesAlike();
        await scrapesAlike();
        // More label sets than the cache keeps: it starts over, and the same values add to the same series.
        for (let i = 0; i < 1100; i++)
            request('GET', `/v1/route-${i}`, 200, 5);
        request('GET', '/v1/route-7', 200, 5);
        await scrapesAlike();
        assert.ok((await metrics.render()).includes(`${REQUESTS}{method="GET",route="/v1/route-7",status="200"} 2\n`));
        assert.ok((await metrics.render()).includes(`${REQUESTS}{method="POST",route="/v1/jobs",status="202"} 16\n`));
    });
});
//# sourceMappingURL=metrics.test.js.map