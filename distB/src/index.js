/**
 * The package's main entry (`import … from 'job-runner'`): what a job file and a program that embeds
 * the service need. Job files import `defineJob` and the error classes; a program that runs the
 * service inside itself (instead of `job-runner start`) calls `startService`.
 *
 * @example
 * import { defineJob, PermanentError } from 'job-runner'
 * export default defineJob({ name: 'resize', payloadSchema: { type: 'object' }, async run({ payload, signal }) { … } })
 */
export { defineJob, DEFAULT_JOB_DEFAULTS, } from '../jobs/defineJob.js';
export { PermanentError, RetryAfterError } from '../jobs/errors.js';
export { CheckpointSchemaError } from './runner/checkpointResume.js';
export { JobFileError } from '../jobs/registry.js';
export { ConfigError, loadConfig } from './config.js';
export { StartupError } from './startupError.js';
export { startService } from './package/embed.js';
//# sourceMappingURL=index.js.map