export declare function queueDepth({ databaseUrl, deepDatabaseUrl, finished, queued, ops, rounds, }: {
    databaseUrl: string;
    deepDatabaseUrl: string;
    finished?: number;
    queued?: number;
    ops?: number;
    rounds?: number;
}): Promise<Record<string, unknown>>;
