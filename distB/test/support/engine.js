import { captureLogs } from './logs.js';
import { connectDatabase } from '../../src/db/connect.js';
import { JobService } from '../../src/queue/jobService.js';
import { Notifier } from '../../src/queue/notifier.js';
import { JobStore } from '../../src/queue/store.js';
import { Runner } from '../../src/runner/runner.js';
import { JobRegistry, loadJobRegistry } from '../../jobs/registry.js';
export const ENGINE_DEFAULTS = {
    concurrency: 4,
    queues: ['default'],
    leaseMs: 1500,
    checkpointIntervalMs: 100,
    pollIntervalMs: 200,
    retryBaseMs: 20,
    sweepIntervalMs: 100,
};
export async function openEngine(database, { extraJobs = [], maxConnections } = {}) {
    // As the service connects: through PgBouncer when the run has one (test/support/databases.ts).
    const db = await connectDatabase({ ...database.serviceConnection, ...(maxConnections ? { maxConnections } : {}) });
    const store = new JobStore(db.sql, db.schema);
    const notifier = new Notifier(db);
    await notifier.start();
    const shipped = await loadJobRegistry();
    const registry = new JobRegistry([...shipped.names().map((name) => shipped.get(name)), ...extraJobs]);
    const jobs = new JobService(store, registry, notifier);
    const logs = captureLogs('warn');
    const runners = [];
    const stopRunners = async () => {
        await Promise.allSettled(runners.splice(0).map((runner) => runner.stop({ graceMs: 2000 })));
    };
    return {
        db,
        store,
        notifier,
        registry,
        jobs,
        logs,
        newRunner(config = {}) {
            const runner = new Runner({ ...ENGINE_DEFAULTS, ...config }, { store, notifier, registry, log: logs.log });
            runners.push(runner);
            return runner;
        },
        stopRunners,
        async close() {
            await stopRunners();
            await notifier.stop();
            await db.close({ timeoutSeconds: 1 });
        },
    };
}
/** A job row as the store takes it, with the defaults of a plain `echo`. */
export function newJob(fields = {}) {
    return {
        type: 'echo',
        queue: 'default',
        payload: {},
        priority: 0,
        maxAttempts: 3,
        maxInterruptions: 20,
        timeoutSeconds: null,
        runAt: null,
        idempotencyKey: null,
        requestHash: null,
        ...fields,
    };
}
/** Resolves with the `job:settled` event of job `id` on `runner`. Register it before the job can settle. */
export function settled(runner, id) {
    return runner.events.waitFor('job:settled', (event) => event.job.id === id);
}
//# sourceMappingURL=engine.js.map