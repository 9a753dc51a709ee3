/**
 * Typed payloads per job type. `JobTypes` is empty here; `job-runner types --url … -o jobs.d.ts`
 * writes a file that fills it in by module augmentation, so that with it in the program
 * `client.enqueue('count', { to: 5, stepMs: 1 })` is checked by tsc and a wrong payload does not
 * compile. Without it, any type name and any JSON payload are accepted.
 *
 * @example
 * // jobs.d.ts, as `job-runner types` writes it
 * import 'job-runner/client'
 * declare module 'job-runner/client' {
 *   interface JobTypes {
 *     count: { payload: { to: number; stepMs: number } }
 *   }
 * }
 */
import type { Json } from '../queue/job.js'

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation
export interface JobTypes {}

/** The job type names the program knows, or any string when it knows none. */
export type JobTypeName = [keyof JobTypes] extends [never] ? string : Extract<keyof JobTypes, string>

/** The payload of job type `T`. */
export type PayloadOf<T extends string> = T extends keyof JobTypes
  ? JobTypes[T] extends { payload: infer P }
    ? P
    : Json
  : Json
