import type { Job, WaitReason } from '../queue/job.js';
import { type ApiClient } from './client.js';
import { type CommandIo } from './command.js';
export declare function fetchJob(client: ApiClient, id: string): Promise<Job>;
/**
 * Follows a job through its event stream (`GET /v1/jobs/{id}/events`): each `state` event is the
 * whole job, each `progress` event moves the bar. When the stream ends early (the instance drains
 * or stops: `event: shutdown`) it reconnects with `Last-Event-ID` and is brought up to the stored
 * state, wherever it lands.
 */
export declare function followJob(client: ApiClient, id: string, io: CommandIo): Promise<Job>;
/** The job as a few lines for a person. */
export declare function describeJob(job: Job): string;
/** Why a queued job waits, for a person. */
export declare function describeWait(job: Job, reason: WaitReason): string;
/** 1 when the job failed or was cancelled, 0 otherwise. */
export declare function exitCodeOf(job: Job): number;
