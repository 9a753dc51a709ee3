/**
 * `job-runner/client`: what a service that calls job-runner needs — the client, token minting, and
 * the types of the API and of the job types (src/client/jobTypes.ts).
 */
export { createClient, JobRunnerError, type BatchJob, type ClientOptions, type StoredCheckpoint, type EnqueueOptions, type Job, type JobRunnerClient, type JobState, type ListFilter, type Problem, } from './client.js';
export type { JobId, JobTypeName, JobTypes, PayloadOf, ResultOf, TypedJob } from './jobTypes.js';
export { mintToken, type MintTokenOptions, type TokenScope } from './mintToken.js';
export type { RetryOptions } from './retryingFetch.js';
export type { components, operations, paths } from './openapi.js';
