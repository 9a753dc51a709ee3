/** A job as the store returns it, for tests of what takes one without a database: `fields` override. */
import type { OwnedJob } from '../../src/queue/job.js';
export declare function jobRow(fields?: Partial<OwnedJob>): OwnedJob;
