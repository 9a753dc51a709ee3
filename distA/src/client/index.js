/**
 * `job-runner/client`: what a service that calls job-runner needs — the client, token minting, and
 * the types of the API and of the job types (src/client/jobTypes.ts).
 */
export { createClient, JobRunnerError, } from './client.js';
export { mintToken } from './mintToken.js';
//# sourceMappingURL=index.js.map