/**
 * Migrations on data that already exists: a database as an earlier release left it is brought up to
 * date in place, and what it held reads the same afterwards. And several instances migrating one
 * fresh PostgreSQL database at once, as dynos of a first deploy do: they take turns.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { databaseTargets } from '../support/databases.js'
import { newJob, type Engine } from '../support/engine.js'
import { connectDatabase } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { migrations } from '../../src/db/migrations/index.js'
import { suiteEngine } from '../support/suiteEngine.js'

/** The advisory lock src/db/migrate.ts takes (its MIGRATION_LOCK_ID), which the test holds to line the migrations up. */
const MIGRATION_LOCK_ID = 0x6a6f6272

for (const target of databaseTargets()) {
  describe(`migrations on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened))

    it('brings a database of version 3 up to date with its jobs: listed under their owners by the database, the indexes outcomes no longer write gone, leases indexed by expiry', async () => {
      const { db, store } = engine
      // Raw SQL goes to `db.session`, the direct connection with the schema as its search_path: it
      // names tables as a release before this one did (`db.sql` may go through PgBouncer).
      // Back to version 3: the owner and finished-job indexes on the jobs table, no owner listing,
      // the leases index of running jobs, no announcing trigger.
      await db.session.unsafe(`
        delete from job_runner_migrations where version > 3;
        drop trigger job_runner_jobs_listed on job_runner_jobs;
        drop trigger job_runner_jobs_unlisted on job_runner_jobs;
        drop trigger job_runner_jobs_announced on job_runner_jobs;
        drop function job_runner_announce_inserted_jobs();
        drop function job_runner_list_inserted_jobs();
        drop function job_runner_unlist_deleted_job();
        drop table job_runner_owner_jobs;
        create index job_runner_jobs_owner on job_runner_jobs (owner, id);
        create index job_runner_jobs_finished on job_runner_jobs (finished_at) where state in ('succeeded', 'failed', 'cancelled');
        drop index job_runner_jobs_leases;
        create index job_runner_jobs_leases on job_runner_jobs (lease_expires_at) where state = 'running';
        alter table job_runner_jobs drop column max_interruptions, drop column retries, drop column replay_of, drop column errors;
        drop table job_runner_bulk_actions;
        drop table job_runner_schedules;
        alter table job_runner_jobs drop column callback;
        drop table job_runner_webhooks;
        drop table job_runner_webhook_deliveries;
        drop table job_runner_job_logs;
        alter table job_runner_jobs drop column traceparent;
        alter table job_runner_jobs drop column concurrency_key, drop column claimed_limited, drop column expires_at;
        alter table job_runner_jobs drop column claimed_under_queue_limit;
        alter table job_runner_jobs drop column pause_requested, drop column cancel_requested_at, drop column cancel_acknowledged_at;
        drop table job_runner_pauses;
        drop table job_runner_rate_limits;
        drop table job_runner_checkpoint_history;
        alter table job_runner_jobs drop column checkpoint_version, drop column checkpoint_writes;
        drop index job_runner_jobs_claim_by_owner;
        drop index job_runner_jobs_claim_by_type;
        alter table job_runner_jobs drop constraint job_runner_jobs_state_check;
        alter table job_runner_jobs add constraint job_runner_jobs_state_check
          check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled'));`)
      await db.session`
        insert into job_runner_jobs (owner, type, queue, max_attempts, state, finished_at)
        values ('alice', 'echo', 'default', 1, 'queued', null), ('bob', 'echo', 'default', 1, 'queued', null),
               ('alice', 'echo', 'default', 1, 'succeeded', now())`
      assert.deepEqual(await migrate(db), {
        applied: [4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 26, 27, 28, 29],
      })
      assert.equal(migrations.at(-1)!.version, 29, 'this test names the newest migration')

      const alices = await store.listJobs({ owner: 'alice', limit: 10 })
      assert.deepEqual(
        alices.map((j) => j.state),
        ['succeeded', 'queued'],
      )
      // Migration 009: jobs from before have no retries, no replay and an empty error history.
      assert.deepEqual(
        alices.map((j) => [j.retries, j.replayOf, j.errors]),
        [
          [0, null, []],
          [0, null, []],
        ],
      )
      assert.equal((await store.listJobs({ owner: 'bob', limit: 10 })).length, 1)
      // Migration 014: jobs from before carry no trace and have no log lines.
      const traced = await db.session`select id from job_runner_jobs where traceparent is not null`
      assert.equal(traced.length, 0)
      assert.equal((await db.session`select id from job_runner_job_logs`).length, 0)
      // Migrations 016 and 017: jobs from before have no concurrency key and no deadline.
      assert.deepEqual(
        alices.map((j) => [j.concurrencyKey, j.expiresAt]),
        [
          [null, null],
          [null, null],
        ],
      )
      // Migration 021: checkpoints from before are of version 1, and no job has a checkpoint history.
      assert.deepEqual(
        alices.map((j) => j.checkpointVersion),
        [1, 1],
      )
      assert.equal((await db.session`select job_id from job_runner_checkpoint_history`).length, 0)
      // Migration 020: jobs from before were never asked to pause or cancel.
      assert.deepEqual(
        alices.map((j) => [j.pauseRequested, j.cancelRequestedAt, j.cancelAcknowledgedAt]),
        [
          [false, null, null],
          [false, null, null],
        ],
      )
      // Migration 028: no statistics of what a job carries, on a table from before it too.
      const [payload] = await db.session<{ target: number }[]>`
        select attstattarget as target from pg_attribute
        where attrelid = 'job_runner.job_runner_jobs'::regclass and attname = 'payload'`
      assert.equal(payload!.target, 0)
      // Migration 022: the trigger functions find their tables without the session's search_path.
      const functions = await db.session<{ config: string | null }[]>`
        select array_to_string(p.proconfig, ',') as config from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'job_runner' and p.proname like 'job_runner_%'`
      assert.deepEqual(
        functions.map((f) => f.config),
        ['search_path=job_runner', 'search_path=job_runner', 'search_path=job_runner'],
      )
      const indexes = await db.session<
        { indexname: string; indexdef: string }[]
      >`select indexname, indexdef from pg_indexes where tablename = 'job_runner_jobs'`
      assert.deepEqual(
        indexes
          .map((i) => i.indexname)
          .filter((name) => ['job_runner_jobs_owner', 'job_runner_jobs_finished'].includes(name)),
        [],
      )
      // Writes fenced by state = 'running' no longer match the leases index (migration 006); the jobs
      // the limited claim holds have their leases in its own index (migration 029).
      assert.match(
        indexes.find((i) => i.indexname === 'job_runner_jobs_leases')!.indexdef,
        /\(lease_expires_at\) WHERE \(\(lease_expires_at IS NOT NULL\) AND \(NOT claimed_limited\)\)$/,
      )
      // Jobs enqueued from now on are listed too, also when an instance of the earlier release,
      // still running during a deploy, inserts them its own way; and a deleted job leaves its listing.
      await store.enqueueJobs({ owner: 'bob', jobs: [newJob()] })
      await db.session`insert into job_runner_jobs (owner, type, queue, max_attempts) values ('bob', 'echo', 'default', 1)`
      assert.equal((await store.listJobs({ owner: 'bob', limit: 10 })).length, 3)
      await db.session`delete from job_runner_jobs where owner = 'bob'`
      const [left] = await db.session<
        { n: number }[]
      >`select count(*)::int as n from job_runner_owner_jobs where owner = 'bob'`
      assert.equal(left!.n, 0)
      assert.deepEqual(await migrate(db), { applied: [] })
    })

    it('moves the tables of a database from before migration 015 out of public into job_runner, its jobs kept', async () => {
      const { db, store } = engine
      const before = await store.enqueueJobs({ owner: 'carol', jobs: [newJob({ payload: { kept: true } })] })
      // As an earlier release left it: every table and function in public, 015 not applied.
      await db.session.unsafe(`
        delete from job_runner_migrations where version = 15;
        do $$
        declare moved record;
        begin
          for moved in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                       where n.nspname = 'job_runner' and c.relkind = 'r' loop
            execute format('alter table job_runner.%I set schema public', moved.relname);
          end loop;
          for moved in select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                       where n.nspname = 'job_runner' loop
            execute format('alter function job_runner.%I() set schema public', moved.proname);
          end loop;
        end $$;
        drop schema job_runner;`)

      assert.deepEqual(await migrate(db), { applied: [15] })
      const where = await db.session<{ schema: string; n: number }[]>`
        select n.nspname as schema, count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and left(c.relname, 11) = 'job_runner_' group by n.nspname`
      assert.deepEqual(
        where.map((r) => r.schema),
        ['job_runner'],
      )
      const [functions] = await db.session<{ n: number }[]>`
        select count(*)::int as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and left(p.proname, 11) = 'job_runner_'`
      assert.equal(functions!.n, 0, 'the trigger functions moved too')
      const job = await store.getJob({ id: before[0]!.job.id, owner: 'carol' })
      assert.deepEqual(job?.payload, { kept: true })
      // The triggers still fire: a new job is listed under its owner.
      const after = await store.enqueueJobs({ owner: 'carol', jobs: [newJob()] })
      assert.deepEqual(
        (await store.listJobs({ owner: 'carol', limit: 10 })).map((j) => j.id),
        [after[0]!.job.id, before[0]!.job.id],
      )
      assert.deepEqual(await migrate(db), { applied: [] })
    })

    it(
      'several instances migrating one fresh database at once all succeed, each migration applied and recorded once',
      target.name === 'pglite'
        ? { skip: 'PGlite is single-process: one instance holds its DATA_DIR, so no two can migrate it at once' }
        : {},
      async () => {
        const fresh = await target.create()
        const holder = postgres(fresh.databaseUrl!, { max: 1, onnotice: () => {} })
        const instances: Database[] = []
        try {
          // As a first deploy finds it: the run's databases are copies of a migrated template.
          await holder.unsafe('drop schema job_runner cascade')
          for (let i = 0; i < 4; i++) {
            instances.push(
              await connectDatabase({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, maxConnections: 1 }),
            )
          }
          // Connected first, so that a handshake's length does not put one migration ahead of the others.
          await Promise.all(instances.map((db) => db.session`select 1`))
          let settled = 0
          let outcomes: Promise<{ applied: number[] } | Error>[] = []
          // The test holds the lock until all four wait on it: then they are let go together.
          await holder.begin(async (sql) => {
            await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`
            outcomes = instances.map((db) =>
              migrate(db).then(
                (result) => ((settled += 1), result),
                (error: Error) => ((settled += 1), error),
              ),
            )
            for (;;) {
              const [row] = await sql<{ n: number }[]>`
                select count(*)::int as n from pg_locks
                where locktype = 'advisory' and objid = ${MIGRATION_LOCK_ID} and not granted
                  and database = (select oid from pg_database where datname = current_database())`
              assert.equal(settled, 0, 'a migration ended while another session held the migration lock')
              if (row!.n === instances.length) break
              await sleep(10)
            }
          })
          const results = await Promise.all(outcomes)
          for (const result of results) assert.ok(!(result instanceof Error), String(result))
          const all = migrations.map((m) => m.version).sort((a, b) => a - b)
          const applied = results.map((r) => (r as { applied: number[] }).applied)
          assert.deepEqual(
            applied.filter((versions) => versions.length > 0),
            [all],
            'the first applies every migration; the others find nothing left to do',
          )
          const recorded = await holder<{ version: number; n: number }[]>`
            select version, count(*)::int as n from job_runner.job_runner_migrations group by version order by version`
          assert.deepEqual(
            recorded.map((r) => r.version),
            all,
          )
          assert.ok(
            recorded.every((r) => r.n === 1),
            JSON.stringify(recorded),
          )
        } finally {
          await Promise.all(instances.map((db) => db.close()))
          await holder.end()
          await fresh.cleanup()
        }
      },
    )
  })
}
