/**
 * What instances cost PostgreSQL in commits and notifications, as real processes (`node
 * dist/src/main.js`, one per 127.0.0.1 port, one database): issue 24's P11 "commits and NOTIFY
 * deliveries per job stay constant in the number of instances" and "idle cost".
 *
 *   node dist/bench/notifyCost.js drain [--instances 1,2,4] [--jobs 20000] [--root .]
 *   node dist/bench/notifyCost.js idle [--instances 1,10] [--seconds 30] [--root .]
 *
 * `--log-statements` makes the server log every statement of the bench's database (the server's
 * log_line_prefix names the database), to see what the commits are.
 *
 * (compiled by `npx tsc -p bench/tsconfig.json` after `npm run build`). `--root` is the checkout whose
 * `dist/src/main.js` the instances run, so a build of another commit can be measured beside this one.
 *
 * drain: for each instance count, a fresh database gets `--jobs` echo jobs (through a connection
 * closed before the count starts), then the instances start together and drain them; once no job is
 * left they are stopped with SIGTERM, and `pg_stat_database.xact_commit` is read before the start and
 * after every instance exited (PostgreSQL 15 reports a backend's commits lazily, but always when it
 * exits). The same start and stop with no jobs is measured too and subtracted, so commits per job are
 * the drain's own. A second drain of the same size counts notifications instead: the bench LISTENs on
 * every channel of the service (which would add its own commits to the first), and deliveries are the
 * notifications times the instances (every instance LISTENs on every channel).
 *
 * idle: the instances start on an empty database; after 5 s of warm-up, commits are read over
 * `--seconds` (both readings lazily reported, so the window's edges are a second or so fuzzy).
 *
 * Prints one `RESULT {json}` line per measurement.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { DEFAULT_DATABASE_SCHEMA } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { JobStore } from '../src/queue/store.js';
import { echoJob } from './echoJob.js';
const args = process.argv.slice(2);
const mode = args[0] ?? 'drain';
const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? fallback : args[at + 1];
};
const instanceCounts = option('instances', mode === 'idle' ? '1,10' : '1,2,4')
    .split(',')
    .map(Number);
const jobs = Number(option('jobs', '20000'));
const idleSeconds = Number(option('seconds', '30'));
const root = path.resolve(option('root', '.'));
const logStatements = args.includes('--log-statements');
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const DATABASE = 'bench_notify_cost';
const databaseUrl = withDatabase(baseUrl, DATABASE);
const FIRST_PORT = Number(option('port', '4310'));
const CHANNELS = [
    'job_runner_jobsAvailable',
    'job_runner_limitedJobEnded',
    'job_runner_cancelRequested',
    'job_runner_pauseRequested',
    'job_runner_jobChanged',
    'job_runner_jobLogged',
    'job_runner_schedulesChanged',
    'job_runner_pausesChanged',
    'job_runner_jobsDue',
    'job_runner_jobProgress',
    'job_runner_watch',
];
function withDatabase(url, database) {
    const parsed = new URL(url);
    parsed.pathname = `/${database}`;
    return parsed.toString();
}
async function freshDatabase() {
    const admin = postgres(baseUrl, { max: 1, onnotice: () => { } });
    await admin.unsafe(`drop database if exists ${DATABASE} with (force)`);
    await admin.unsafe(`create database ${DATABASE}`);
    // To see what the commits are: the server's log gets every statement of this database's sessions.
    if (logStatements)
        await admin.unsafe(`alter database ${DATABASE} set log_statement = 'all'`);
    await admin.end();
    const db = await connectDatabase({ databaseUrl, dataDir: '.' });
    await migrate(db);
    await db.close();
}
async function enqueue(count) {
    const db = await connectDatabase({ databaseUrl, dataDir: '.' });
    const store = new JobStore(db.sql, db.schema);
    for (let done = 0; done < count; done += 1000) {
        await store.enqueueJobs({
            owner: 'bench',
            jobs: Array.from({ length: Math.min(1000, count - done) }, () => echoJob()),
        });
    }
    await db.close();
}
async function commits() {
    // A connection of its own, closed at once: its one commit is subtracted by the callers.
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => { } });
    const [row] = await sql `
    select xact_commit::text as commits from pg_stat_database where datname = current_database()`;
    await sql.end();
    return Number(row.commits);
}
/** Every instance started, so that none outlives the bench, however it ends. */
const spawned = new Set();
process.on('exit', () => {
    for (const child of spawned)
        if (child.exitCode === null)
            child.kill('SIGKILL');
});
async function startInstances(count) {
    const instances = Array.from({ length: count }, (_, i) => {
        const port = FIRST_PORT + i;
        const child = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
            cwd: root,
            env: {
                ...process.env,
                PORT: String(port),
                HOST: '127.0.0.1',
                DATABASE_URL: databaseUrl,
                JWT_SECRET: 'bench-notify-cost-secret-of-32-bytes-or-more',
                LOG_LEVEL: 'warn',
            },
            stdio: ['ignore', 'ignore', 'inherit'],
        });
        spawned.add(child);
        child.once('exit', () => spawned.delete(child));
        return { child, port };
    });
    await Promise.all(instances.map(untilReady));
    return instances;
}
async function untilReady({ port, child }) {
    for (;;) {
        if (child.exitCode !== null)
            throw new Error(`instance on port ${port} exited with ${child.exitCode}`);
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
        if (ok)
            return;
        await sleep(50);
    }
}
async function stopInstances(instances) {
    await Promise.all(instances.map(async ({ child }) => {
        if (child.exitCode !== null)
            return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
    }));
    // Every backend of theirs has exited and reported its commits; give the collector a moment.
    await sleep(1500);
}
/** Polls until no job is queued or running; answers how many statements it ran. */
async function untilDrained() {
    const sql = postgres(databaseUrl, {
        max: 1,
        onnotice: () => { },
        connection: { search_path: DEFAULT_DATABASE_SCHEMA },
    });
    const started = performance.now();
    let polls = 0;
    for (;;) {
        polls += 1;
        const [row] = await sql `
      select count(*)::text as left from job_runner_jobs where state in ('queued', 'running')`;
        if (row.left === '0')
            break;
        await sleep(100);
    }
    const elapsedMs = performance.now() - started;
    await sql.end();
    return { polls, elapsedMs };
}
/** Start and stop of `count` instances with nothing to do: the commits a drain's count includes besides the jobs. */
async function startStopCommits(count) {
    await freshDatabase();
    await sleep(1500);
    const before = await commits();
    await stopInstances(await startInstances(count));
    return (await commits()) - before - 1;
}
async function drainCommits(count) {
    await freshDatabase();
    await enqueue(jobs);
    await sleep(1500);
    const before = await commits();
    const instances = await startInstances(count);
    const { polls, elapsedMs } = await untilDrained();
    await stopInstances(instances);
    return { commits: (await commits()) - before - 1 - polls, elapsedMs };
}
async function drainNotifications(count) {
    await freshDatabase();
    await enqueue(jobs);
    const listener = postgres(databaseUrl, { max: 1, onnotice: () => { } });
    const counts = {};
    for (const channel of CHANNELS) {
        await listener.listen(channel, () => {
            counts[channel] = (counts[channel] ?? 0) + 1;
        });
    }
    const instances = await startInstances(count);
    await untilDrained();
    await stopInstances(instances);
    await listener.end();
    return counts;
}
async function drain() {
    for (const count of instanceCounts) {
        const overhead = await startStopCommits(count);
        const { commits: drained, elapsedMs } = await drainCommits(count);
        const notifications = await drainNotifications(count);
        const total = Object.values(notifications).reduce((a, b) => a + b, 0);
        console.log(`RESULT ${JSON.stringify({
            mode: 'drain',
            instances: count,
            jobs,
            elapsedMs: Math.round(elapsedMs),
            startStopCommits: overhead,
            drainCommits: drained,
            commitsPerJob: (drained - overhead) / jobs,
            notificationsPerJob: total / jobs,
            deliveriesPerJob: (total * count) / jobs,
            notifications,
        })}`);
    }
}
async function idle() {
    for (const count of instanceCounts) {
        await freshDatabase();
        const instances = await startInstances(count);
        await sleep(5000);
        const before = await commits();
        await sleep(idleSeconds * 1000);
        const after = await commits();
        const admin = postgres(databaseUrl, { max: 1, onnotice: () => { } });
        const [row] = await admin `
      select count(*)::text as backends from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
        await admin.end();
        await stopInstances(instances);
        const perSecond = (after - before - 1) / idleSeconds;
        console.log(`RESULT ${JSON.stringify({
            mode: 'idle',
            instances: count,
            seconds: idleSeconds,
            commits: after - before - 1,
            commitsPerSecond: perSecond,
            commitsPerSecondPerInstance: perSecond / count,
            backends: Number(row.backends),
        })}`);
    }
}
await (mode === 'idle' ? idle() : drain()).catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
// The exit handler above stops whatever instance is left.
process.exit();
//# sourceMappingURL=notifyCost.js.map