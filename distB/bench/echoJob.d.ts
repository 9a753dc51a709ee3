/**
 * The job the benchmarks enqueue straight into the store: an `echo` in the default queue with the
 * service's defaults, one attempt; `fields` changes what a benchmark needs (a type, a runAt, a key).
 */
import type { NewJob } from '../src/queue/store.js';
export declare function echoJob(fields?: Partial<NewJob>): NewJob;
