import type { TestDatabase } from '../support/databases.js';
export declare function runStartStopLoop({ database, rounds, jobsPerRound, }: {
    database: TestDatabase;
    rounds: number;
    jobsPerRound?: number;
}): Promise<void>;
export declare function runLongPollsDuringShutdown({ database, polls, }: {
    database: TestDatabase;
    polls: number;
}): Promise<Record<string, number>>;
