/**
 * Typed payloads and results per job type. `JobTypes` is empty here; `job-runner types --url … -o
 * jobs.d.ts` writes a file that fills it in by module augmentation, so that with it in the program
 * `client.enqueue('count', { to: 5, stepMs: 1 })` is checked by tsc (a wrong payload does not
 * compile), and the job it answers carries its type in its id: `client.wait(job.id)` then answers a
 * job whose `result` has the type the job type's `resultSchema` declares. An id from elsewhere (a
 * plain string) answers a union over the job types, narrowed by `job.type`, or names its type:
 * `client.get<'count'>(id)`. Without the file, any type name, payload and result are accepted.
 *
 * @example
 * // jobs.d.ts, as `job-runner types` writes it
 * import 'job-runner/client'
 * declare module 'job-runner/client' {
 *   interface JobTypes {
 *     count: { payload: { to: number; stepMs: number }; result: { counted: number; resumedFrom: number; runs: number } }
 *   }
 * }
 */
import type { Json } from '../queue/job.js';
import type { components } from './openapi.js';
export interface JobTypes {
}
/** The job type names the program knows, or any string when it knows none. */
export type JobTypeName = [keyof JobTypes] extends [never] ? string : Extract<keyof JobTypes, string>;
/** The payload of job type `T`. */
export type PayloadOf<T extends string> = T extends keyof JobTypes ? JobTypes[T] extends {
    payload: infer P;
} ? P : Json : Json;
/** The result of a job of type `T` that succeeded (`unknown`, as the API says, when its type declares no `resultSchema`). */
export type ResultOf<T extends string> = T extends keyof JobTypes ? JobTypes[T] extends {
    result: infer R;
} ? R : unknown : unknown;
declare const jobTypeOfId: unique symbol;
/** A job id that remembers its job's type, so `get` and `wait` answer the typed job; still a string. */
export type JobId<T extends string = string> = string & {
    readonly [jobTypeOfId]?: T;
};
type ApiJob = components['schemas']['Job'];
/**
 * A job as the API shows it, with `type`, `payload` and `result` typed for job type `T` when the
 * program knows it (for a union of types, a union of jobs that `job.type` narrows); the API's own
 * `Job` otherwise.
 */
export type TypedJob<T extends string = JobTypeName> = T extends keyof JobTypes ? Omit<ApiJob, 'id' | 'type' | 'payload' | 'result'> & {
    id: JobId<T>;
    type: T;
    payload: PayloadOf<T>;
    /** What the run returned, once the job succeeded; null before. */
    result: ResultOf<T> | null;
} : ApiJob & {
    id: JobId<T>;
};
export {};
