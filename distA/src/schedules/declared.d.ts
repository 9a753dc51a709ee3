/**
 * The schedules job types declare in code (`defineJob({ schedules: [...] })`), read into the
 * definitions the store upserts at start-up. Read when the job files load, so a bad pattern, an
 * unknown time zone, a payload the type's schema refuses or an id used twice stops start-up with a
 * sentence naming the file, the job and the field, as for any broken job file.
 */
import type { AnyJobDefinition, JobRegistry } from '../../jobs/registry.js';
import type { CodeSchedule } from './store.js';
/** The owner of code-declared schedules and of their jobs (an admin token sees them). */
export declare const CODE_SCHEDULE_OWNER = "system";
export interface DeclaredScheduleProblem {
    /** Index of the job definition at fault. */
    readonly definition: number;
    readonly message: string;
}
/** Every declared schedule as a definition, or the first problem found. */
export declare function readDeclaredSchedules(definitions: readonly AnyJobDefinition[], registry: Pick<JobRegistry, 'get' | 'names' | 'validatePayload'>): {
    schedules: CodeSchedule[];
} | {
    problem: DeclaredScheduleProblem;
};
