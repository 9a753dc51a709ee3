import type { JobRegistry } from '../../jobs/registry.js';
import type { JobService } from '../queue/jobService.js';
import type { Notifier } from '../queue/notifier.js';
import type { OwnedJob } from '../queue/job.js';
import { type JobTemplate, type Overlap, type Schedule, type ScheduleDefinition } from './schedule.js';
import type { ScheduleScope, ScheduleStore } from './store.js';
/** The body of PUT /v1/schedules/{id}, its shape already checked against openapi.yaml. */
export interface ScheduleRequest {
    cron?: string;
    every?: string;
    timezone?: string;
    job: JobTemplate;
    overlap?: Overlap;
    backfill?: {
        maxSlots: number;
    } | null;
    paused?: boolean;
}
export interface ScheduleProblem {
    readonly pointer: string;
    readonly message: string;
}
/** A definition refused before anything was stored; each problem names its field. */
export declare class InvalidScheduleError extends Error {
    readonly problems: readonly ScheduleProblem[];
    name: string;
    constructor(problems: readonly ScheduleProblem[]);
}
export type ScheduleChange<T = Schedule> = {
    kind: 'done';
    schedule: T;
} | {
    kind: 'not-found';
} | {
    kind: 'declared-in-code';
} | {
    kind: 'taken';
};
/**
 * Reads a definition (from a request or from code), or throws `InvalidScheduleError` naming every
 * wrong field: the timing's, an unknown job type, a payload the type's schema refuses.
 */
export declare function readScheduleDefinition(request: ScheduleRequest, registry: Pick<JobRegistry, 'get' | 'names' | 'validatePayload'>, { prefix }?: {
    prefix?: string;
}): ScheduleDefinition;
export declare class ScheduleService {
    private readonly store;
    private readonly registry;
    private readonly jobs;
    private readonly notifier;
    constructor(store: ScheduleStore, registry: Pick<JobRegistry, 'get' | 'names' | 'validatePayload'>, jobs: Pick<JobService, 'prepare' | 'announce'>, notifier: Pick<Notifier, 'publish'>);
    /** Creates or replaces; `created` tells which (201 or 200). */
    put({ id, owner, admin, request, }: {
        id: string;
        owner: string;
        admin: boolean;
        request: ScheduleRequest;
    }): Promise<ScheduleChange<{
        schedule: Schedule;
        created: boolean;
    }>>;
    get(scope: ScheduleScope & {
        id: string;
    }): Promise<Schedule | undefined>;
    list(params: ScheduleScope & {
        afterId?: string;
        limit: number;
    }): Promise<Schedule[]>;
    delete(scope: ScheduleScope & {
        id: string;
    }): Promise<ScheduleChange>;
    setPaused(scope: ScheduleScope & {
        id: string;
        paused: boolean;
    }): Promise<ScheduleChange>;
    /** Runs one job of the schedule now. Throws `InvalidJobError` when its type no longer takes the template. */
    trigger(scope: ScheduleScope & {
        id: string;
        key: string;
    }): Promise<{
        kind: 'triggered';
        schedule: Schedule;
        job: OwnedJob;
        replayed: boolean;
    } | {
        kind: 'not-found';
    }>;
    /** Wakes every instance's scheduler (a hint: each also looks by itself every `maxIdleMs`). */
    private changed;
}
