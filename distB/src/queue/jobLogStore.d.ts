/**
 * The SQL of jobs' own log lines (`ctx.log`, migration 014): appended in one statement for every job
 * that logged since the last flush, then trimmed to the last `MAX_JOB_LOG_LINES` lines or
 * `MAX_JOB_LOG_BYTES` of each of those jobs (newest kept), and read a page at a time by line id,
 * the cursor of `GET /v1/jobs/{id}/logs`. Lines travel as one JSON document, as the job store's
 * batched writes do (src/queue/store.ts). `JobStore` exposes these; nothing else runs them.
 */
import type { Sql } from 'postgres';
import type { SchemaIdentifier } from '../db/schemaIdentifier.js';
import { type Json } from './job.js';
export declare const MAX_JOB_LOG_LINES = 1000;
export declare const MAX_JOB_LOG_BYTES: number;
export interface NewJobLogLine {
    readonly jobId: string;
    readonly at: string;
    readonly level: string;
    readonly message: string;
    readonly fields: Json | null;
    /** The message's and the fields' UTF-8 bytes: what the byte bound counts. */
    readonly bytes: number;
}
export interface JobLogLine {
    readonly id: string;
    readonly at: string;
    readonly level: string;
    readonly message: string;
    readonly fields: Json | null;
}
/** Appends `lines` (of any jobs) and trims each job they belong to back to its bounds. */
export declare function appendJobLogs(sql: Sql, schema: SchemaIdentifier, lines: readonly NewJobLogLine[]): Promise<void>;
/** Lines of job `jobId` after line `afterId` (from the first when absent), oldest first. */
export declare function listJobLogs(sql: Sql, schema: SchemaIdentifier, { jobId, afterId, limit }: {
    jobId: string;
    afterId?: string;
    limit: number;
}): Promise<JobLogLine[]>;
/** A stored line with the job it belongs to, as the event streams send it (src/events/). */
export interface StreamedJobLogLine extends JobLogLine {
    readonly jobId: string;
    /** The job as a stream's filter sees it (owner, type, queue, state now). */
    readonly job: {
        readonly owner: string;
        readonly type: string;
        readonly queue: string;
        readonly state: string;
    };
}
/**
 * The lines of each job after its line id, oldest first, at most `limitPerJob` of each: what the
 * event streams following those jobs have not sent yet. One statement for every job of a flush.
 */
export declare function listJobLogsAfter(sql: Sql, schema: SchemaIdentifier, { after, limitPerJob }: {
    after: readonly {
        jobId: string;
        afterId: string;
    }[];
    limitPerJob: number;
}): Promise<StreamedJobLogLine[]>;
/**
 * Lines after `afterId` of the jobs of `owner` (every owner's when undefined), oldest first, at most
 * `limit`: what a stream of many jobs missed while its client was away (its `Last-Event-ID`). Read
 * by line id, the table's primary key.
 */
export declare function listOwnerJobLogsAfter(sql: Sql, schema: SchemaIdentifier, { owner, afterId, limit }: {
    owner: string | undefined;
    afterId: string;
    limit: number;
}): Promise<StreamedJobLogLine[]>;
