import { type ConnectOptions } from '../../src/db/connect.js';
export interface TestDatabase {
    /** The environment that points the service at this database (through PgBouncer when the run has one). */
    readonly env: {
        DATABASE_URL?: string;
        DATABASE_DIRECT_URL?: string;
        DATABASE_POOLING?: string;
        DATA_DIR: string;
    };
    /**
     * `env` without the pooler, for a suite whose subject is not the database and whose load the
     * pooler would turn into store timeouts on a loaded machine (test/routes/*Memory): through it
     * each statement holds a server connection across a round trip to the service (src/db/pooling.ts),
     * and a starved event loop then holds the pool's few connections.
     */
    readonly directEnv: {
        DATABASE_URL?: string;
        DATABASE_DIRECT_URL?: string;
        DATABASE_POOLING?: string;
        DATA_DIR: string;
    };
    /** The database itself, never through a pooler: for a test's own connections. */
    readonly databaseUrl: string | undefined;
    readonly dataDir: string;
    /** `env` as `connectDatabase` takes it, for an engine built by hand (test/support/engine.ts). */
    readonly serviceConnection: Pick<ConnectOptions, 'databaseUrl' | 'databaseDirectUrl' | 'databasePooling' | 'dataDir'>;
    cleanup(): Promise<void>;
}
export interface DatabaseTarget {
    readonly name: 'pglite' | 'postgres';
    create(): Promise<TestDatabase>;
}
export declare const pglite: DatabaseTarget;
export declare function postgresTarget(adminUrl: string, bouncerUrl?: string | undefined): DatabaseTarget;
/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export declare function databaseTargets(): DatabaseTarget[];
/**
 * The `skip` option of a suite whose subject does not depend on the database, on `target`: such
 * suites run on one target, the last (PostgreSQL when there is one). A client of the HTTP API (the
 * CLI against a service, the dashboard in a browser) or the token check reads what the route suites
 * prove on each database; run twice over it, it proves nothing more and costs CI a minute of two
 * cores. `why` names what makes it independent.
 */
export declare function onceSkip(target: DatabaseTarget, why: string): string | false;
/**
 * `onceSkip`'s reason for route suites that need nothing of the database but its SQL. PGlite is the
 * same PostgreSQL compiled to WASM; what differs is the way to it: one session, no LISTEN, changes
 * announced in-process. The store, runner and migration suites run on both, and so do the route
 * suites that depend on that difference (long-polls, event streams, live progress, pausing a running
 * job) or on how values read back (runAt round trips). Run twice over the rest, a route suite proves
 * nothing more and costs CI half a minute of two cores.
 */
export declare const ROUTES_THROUGH_THE_STORE = "the same SQL on both; the ways to the database are tested on both elsewhere";
/**
 * The `skip` option of a process test whose subject is the lifecycle's or the runner's logic (a crash
 * counted, a second SIGTERM, SIGINT, a SIGTERM while drained), on `target`: in `npm test` with
 * PostgreSQL as well (CI) it runs there only, and `npm run soak` (SOAK=long) runs it on both. On
 * PGlite such a test spawns the same server over the same SQL, two to three times slower to start (a
 * PGlite server start costs about 2.5 CPU-seconds against 0.9), and proves nothing more: what is the
 * embedded database's own in a process — closing it inside the grace budget, resuming from its data
 * folder, taking over a killed process's stale lock — keeps its tests on both in CI (the first SIGTERM
 * and drain tests, SIGKILL, the stress loop). Without PostgreSQL in the run it runs on PGlite.
 */
export declare function embeddedInSoak(target: DatabaseTarget, why: string): string | false;
/** The PostgreSQL target alone, for suites that need several processes on one database. */
export declare function postgresOnly(): DatabaseTarget | undefined;
/**
 * The `skip` option of a PostgreSQL-only suite: its reason when TEST_DATABASE_URL is not set, so the
 * run reports the suite as skipped rather than as passed with nothing run.
 */
export declare function skipWithoutPostgres(): string | false;
/** The folder this run's databases live in (see the opening comment). */
export declare function testRunDir(): string;
