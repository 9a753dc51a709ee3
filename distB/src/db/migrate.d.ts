/**
 * Applies pending migrations in one transaction, in the service's schema (`DATABASE_SCHEMA`, made
 * here when missing). On a shared PostgreSQL several instances may start at once: a
 * transaction-scoped advisory lock makes them take turns, and the ones that come second find nothing
 * left to do. A database from before migration 015 has its tables in `public`: 015 moves them.
 */
import type { Database } from './database.js';
import { type Migration } from './migrations/index.js';
export declare function migrate(db: Database, migrations?: readonly Migration[]): Promise<{
    applied: number[];
}>;
