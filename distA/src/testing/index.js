/**
 * `job-runner/testing`: run a job definition in a test with a real job context, no server and no
 * database (src/testing/jobHarness.ts).
 */
export { testJob, TestJobRun, InvalidPayloadError, } from './jobHarness.js';
//# sourceMappingURL=index.js.map