/**
 * The package's main entry (`import … from 'job-runner'`): what a job file and a program that embeds
 * the service need. Job files import `defineJob` and the error classes; a program that runs the
 * service inside itself (instead of `job-runner start`) calls `startService`.
 *
 * @example
 * import { defineJob, PermanentError } from 'job-runner'
 * export default defineJob({ name: 'resize', payloadSchema: { type: 'object' }, async run({ payload, signal }) { … } })
 */
export { defineJob, DEFAULT_JOB_DEFAULTS, type AbortReason, type DeclaredSchedule, type JobContext, type JobDefaults, type JobDefinition, type RetryBackoff, type RetryDelay, } from '../jobs/defineJob.js';
export { PermanentError, RetryAfterError } from '../jobs/errors.js';
export { CheckpointSchemaError } from './runner/checkpointResume.js';
export { JobFileError, type AnyJobDefinition } from '../jobs/registry.js';
export type { Json, Job, JobState, JobProgress, JobError } from './queue/job.js';
export { ConfigError, loadConfig, type Config } from './config.js';
export { StartupError } from './startupError.js';
export { startService, type StartServiceOptions, type EmbeddedService } from './package/embed.js';
export type { LifecycleEvents, LifecycleState, StopRecord } from './lifecycle.js';
export type { StopReport } from './runner/runner.js';
