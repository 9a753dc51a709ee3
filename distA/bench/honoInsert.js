import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';
import { DEFAULT_DATABASE_SCHEMA } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { toJob } from '../src/queue/job.js';
import { EnqueueBatches } from '../src/queue/enqueueBatches.js';
import { insertedJobRow, JobStore } from '../src/queue/store.js';
const STORES = {
    async none() {
        return {
            enqueueJobs: ({ owner, jobs }) => new Promise((resolve) => setImmediate(() => resolve(answered(owner, jobs)))),
        };
    },
    async 'round-trip'(databaseUrl) {
        const sql = connect(databaseUrl);
        return {
            async enqueueJobs({ owner, jobs }) {
                const rows = jobs.map((job, ord) => ({ ord, type: job.type, queue: job.queue, payload: job.payload }));
                // As many rows and columns back as the insert's answer has.
                const read = await sql `
          select (x.ord + 1)::text as id, to_char(now(), 'YYYY') as run_at, to_char(now(), 'YYYY') as created_at
          from jsonb_to_recordset(${sql.json(rows)}) as x(ord int, type text, queue text, payload jsonb)`;
                return answered(owner, jobs, read.map((r) => r.id));
            },
        };
    },
    async 'async-commit'(databaseUrl) {
        return new JobStore(connect(databaseUrl, { synchronous_commit: 'off' }), DEFAULT_DATABASE_SCHEMA);
    },
    async durable(databaseUrl) {
        const db = await connectDatabase({ databaseUrl, dataDir: '' });
        return new JobStore(db.sql, db.schema);
    },
};
/**
 * A pool as `connectDatabase` opens one (src/db/connect.ts): the service's schema on the search path
 * (since migration 015 the tables live there), with startup settings of the step's own.
 */
function connect(databaseUrl, connection = {}) {
    return postgres(databaseUrl, {
        max: 10,
        fetch_types: false,
        onnotice: () => { },
        transform: { undefined: null },
        connection: { search_path: DEFAULT_DATABASE_SCHEMA, ...connection },
    });
}
let lastId = 0;
/** The answer the insert's fast path builds, for the steps that insert nothing. */
function answered(owner, jobs, ids) {
    const now = new Date().toISOString();
    return jobs.map((job, i) => ({
        replayed: false,
        job: toJob(insertedJobRow(owner, job, { id: ids?.[i] ?? String(++lastId), run_at: now, created_at: now })),
    }));
}
const databaseUrl = process.env.DATABASE_URL;
const storeName = process.env.STORE ?? 'durable';
const openStore = STORES[storeName];
if (openStore === undefined)
    throw new Error(`STORE is one of ${Object.keys(STORES).join(', ')}`);
if (databaseUrl === undefined && storeName !== 'none')
    throw new Error('set DATABASE_URL');
const batches = new EnqueueBatches(await openStore(databaseUrl ?? ''));
const app = new Hono();
app.post('/v1/jobs', async (c) => {
    const body = await c.req.json();
    const { job } = await batches.enqueue('bench', {
        type: body.type,
        queue: 'default',
        payload: body.payload ?? {},
        priority: 0,
        maxAttempts: 5,
        maxInterruptions: 20,
        timeoutSeconds: null,
        runAt: null,
        idempotencyKey: null,
        requestHash: null,
    });
    const { owner: _owner, ...shown } = job;
    return c.json(shown, 202);
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.stdout.write(`READY ${info.port}\n`);
});
//# sourceMappingURL=honoInsert.js.map