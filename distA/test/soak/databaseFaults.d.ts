import type { TestDatabase } from '../support/databases.js';
import { type TcpProxy } from './tcpProxy.js';
export type DatabaseFault = 'refuse' | 'blackhole' | 'terminate';
export interface DatabaseFaultOptions {
    database: TestDatabase;
    fault: DatabaseFault;
    /** Jobs enqueued before the fault (a mix of count, sleep, echo and flaky). */
    jobs: number;
    /** Rounds of requests made while the database is gone. */
    rounds: number;
    /** A request must be answered within this (a hang fails the scenario). */
    requestBoundMs?: number;
}
export declare function runDatabaseFault({ database, fault, jobs, rounds, requestBoundMs, }: DatabaseFaultOptions): Promise<void>;
export type { TcpProxy };
