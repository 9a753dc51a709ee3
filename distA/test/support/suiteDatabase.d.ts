import type { Database } from '../../src/db/database.js';
import type { DatabaseTarget, TestDatabase } from './databases.js';
export declare function suiteDatabase(target: DatabaseTarget, opened: (database: TestDatabase, db: Database) => void, { asService }?: {
    asService?: boolean;
}): void;
