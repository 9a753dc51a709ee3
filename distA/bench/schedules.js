/**
 * Schedules at scale: 10,000 schedules on one PostgreSQL, fired by the scheduler module alone (no
 * HTTP, no runner: the jobs it enqueues stay queued), in three phases.
 *
 * - idle: every schedule daily at 03:00 Europe/Berlin, so none is due; for `--idle` seconds, the
 *   scheduler's statements are counted (in process: `msUntilNextDue` is one statement; a fire is
 *   begin, claim, one insert per owner, one update, commit).
 * - spread: schedule i fires at second i mod 60 of every minute (167 fires a second), for one
 *   minute: fire lag = the job's created_at − its slot (both the database's clock).
 * - burst: all 10,000 at second 0 of the same minute: the lag of the last of them.
 *
 *   node --import tsx bench/schedules.ts [--schedules 10000] [--idle 30] [--instances 1]
 *
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test) must allow creating a database;
 * `bench_schedules` is created and dropped.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import postgres from 'postgres';
import pino from 'pino';
import { loadJobRegistry } from '../jobs/registry.js';
import { connectDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { JobService } from '../src/queue/jobService.js';
import { Notifier } from '../src/queue/notifier.js';
import { JobStore } from '../src/queue/store.js';
import { Scheduler } from '../src/schedules/scheduler.js';
import { ScheduleStore } from '../src/schedules/store.js';
import { percentile } from './measure.js';
const { values } = parseArgs({
    options: {
        schedules: { type: 'string', default: '10000' },
        idle: { type: 'string', default: '30' },
        instances: { type: 'string', default: '1' },
    },
});
const SCHEDULES = Number(values.schedules);
const IDLE_SECONDS = Number(values.idle);
const INSTANCES = Number(values.instances);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const NAME = 'bench_schedules';
/** The store, counting the statements each call sends. */
class CountingStore extends ScheduleStore {
    statements = 0;
    async msUntilNextDue() {
        this.statements += 1;
        return super.msUntilNextDue();
    }
    async fireDue(params) {
        const report = await super.fireDue(params);
        const owners = new Set(report.schedules.filter((s) => s.enqueued.length > 0).map((s) => s.owner)).size;
        this.statements += 3 + owners + (report.claimed > 0 ? 1 : 0);
        return report;
    }
}
async function main() {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => { } });
    await admin.unsafe(`drop database if exists ${NAME} with (force)`);
    await admin.unsafe(`create database ${NAME}`);
    const url = new URL(adminUrl);
    url.pathname = `/${NAME}`;
    const databaseUrl = url.toString();
    const dbs = [];
    try {
        const setup = await connectDatabase({ databaseUrl, dataDir: os.tmpdir(), maxConnections: 2 });
        dbs.push(setup);
        await migrate(setup);
        await setup.sql `
      insert into job_runner_schedules (id, owner, source, cron, timezone, job, overlap, paused, next_run_at)
      select 'bench-' || i, 'bench', 'api', '0 0 3 * * *', 'Europe/Berlin', '{"type":"echo","payload":{}}', 'allow',
             false, now() + interval '1 day'
      from generate_series(1, ${SCHEDULES}) as i`;
        await setup.sql `vacuum analyze job_runner_schedules`;
        const registry = await loadJobRegistry();
        const log = pino({ level: 'warn' });
        const stores = [];
        const schedulers = [];
        for (let i = 0; i < INSTANCES; i++) {
            const db = await connectDatabase({ databaseUrl, dataDir: os.tmpdir(), maxConnections: 4 });
            dbs.push(db);
            const jobStore = new JobStore(db.sql, db.schema);
            const store = new CountingStore(db.sql, db.schema);
            const notifier = new Notifier(db);
            await notifier.start();
            const jobs = new JobService(jobStore, registry, notifier);
            const scheduler = new Scheduler({}, { store, jobs, notifier, mayFire: () => true, log });
            stores.push(store);
            schedulers.push(scheduler);
        }
        const statements = () => stores.reduce((sum, s) => sum + s.statements, 0);
        for (const scheduler of schedulers)
            scheduler.start();
        // Idle: nothing due for a day.
        const idleFrom = statements();
        await sleep(IDLE_SECONDS * 1000);
        const idleStatements = statements() - idleFrom;
        console.log(`idle: ${SCHEDULES} schedules, ${INSTANCES} instance(s), ${IDLE_SECONDS} s: ${idleStatements} statements, ` +
            `${(idleStatements / IDLE_SECONDS).toFixed(3)} per second`);
        // Spread: schedule i at second (i mod 60) of every minute, from the next minute on.
        const lag = async (label, from) => {
            const rows = await setup.sql `
        select (extract(epoch from created_at - run_at) * 1000)::float8 as lag_ms
        from job_runner_jobs where created_at >= ${from}`;
            const lags = rows.map((r) => r.lag_ms);
            console.log(`${label}: ${lags.length} fires, lag p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms, ` +
                `max ${Math.max(...lags).toFixed(1)} ms`);
            return lags.length;
        };
        const [{ start }] = (await setup.sql `
      select date_trunc('minute', now()) + interval '1 minute' as start`);
        const spreadFrom = statements();
        await setup.sql `
      update job_runner_schedules
      set cron = (substring(id from 7)::int % 60) || ' * * * * *',
          next_run_at = ${start}::timestamptz + (substring(id from 7)::int % 60) * interval '1 second'`;
        await setup.sql `select pg_notify('job_runner_schedulesChanged', 'bench')`;
        const spreadEnd = start.getTime() + 60_000;
        await sleep(spreadEnd - Date.now() + 2000);
        for (const scheduler of schedulers)
            await scheduler.stop();
        const spreadStatements = statements() - spreadFrom;
        const spreadFires = await lag('spread (167 a second)', start);
        console.log(`spread: ${spreadStatements} statements for ${spreadFires} fires`);
        // Burst: all at second 0 of the next minute.
        const [{ burst }] = (await setup.sql `
      select date_trunc('minute', now()) + interval '1 minute' as burst`);
        await setup.sql `update job_runner_schedules set cron = '0 * * * * *', next_run_at = ${burst}`;
        for (const scheduler of schedulers)
            scheduler.start();
        await sleep(burst.getTime() - Date.now() + 15_000);
        await lag(`burst (all ${SCHEDULES} at once)`, burst);
        for (const scheduler of schedulers)
            await scheduler.stop();
    }
    finally {
        for (const db of dbs.reverse())
            await db.close().catch(() => { });
        await admin.unsafe(`drop database if exists ${NAME} with (force)`);
        await admin.end();
    }
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
await main();
//# sourceMappingURL=schedules.js.map