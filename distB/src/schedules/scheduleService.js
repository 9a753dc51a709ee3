/**
 * Schedules as the HTTP routes use them: a definition is read and checked whole (timing, time zone,
 * job type, payload against the type's schema) before anything is stored; every change wakes the
 * schedulers of every instance; a trigger enqueues through the job service's path. It knows nothing
 * of HTTP and nothing of which database runs.
 */
import { MAX_CONCURRENCY_KEY_BYTES } from '../queue/job.js';
import { enqueueRequestOf, toSchedule, } from './schedule.js';
import { readTiming } from './timing.js';
/** A definition refused before anything was stored; each problem names its field. */
export class InvalidScheduleError extends Error {
    problems;
    name = 'InvalidScheduleError';
    constructor(problems) {
        super(problems.map((p) => `${p.pointer} ${p.message}`).join('; '));
        this.problems = problems;
    }
}
/**
 * Reads a definition (from a request or from code), or throws `InvalidScheduleError` naming every
 * wrong field: the timing's, an unknown job type, a payload the type's schema refuses.
 */
export function readScheduleDefinition(request, registry, { prefix = '' } = {}) {
    const problems = [];
    const timing = readTiming(request);
    if ('problems' in timing)
        problems.push(...timing.problems.map((p) => ({ ...p, pointer: prefix + p.pointer })));
    const { job } = request;
    if (!registry.get(job.type)) {
        problems.push({
            pointer: `${prefix}/job/type`,
            message: `unknown job type ${JSON.stringify(job.type)}; known types: ${registry.names().join(', ')}`,
        });
    }
    else {
        for (const problem of registry.validatePayload(job.type, job.payload ?? {})) {
            const inner = problem.pointer === '/' ? '' : problem.pointer;
            problems.push({ pointer: `${prefix}/job/payload${inner}`, message: problem.message });
        }
    }
    const { concurrencyKey } = job;
    if (concurrencyKey !== undefined &&
        (typeof concurrencyKey !== 'string' ||
            concurrencyKey.length === 0 ||
            Buffer.byteLength(concurrencyKey, 'utf8') > MAX_CONCURRENCY_KEY_BYTES)) {
        const message = `must be a string of 1 to ${MAX_CONCURRENCY_KEY_BYTES} bytes`;
        problems.push({ pointer: `${prefix}/job/concurrencyKey`, message });
    }
    if (problems.length > 0 || 'problems' in timing)
        throw new InvalidScheduleError(problems);
    return {
        timing: timing.timing,
        job: { ...job, payload: job.payload ?? {} },
        overlap: request.overlap ?? 'allow',
        backfill: request.backfill ?? null,
        paused: request.paused ?? false,
    };
}
export class ScheduleService {
    store;
    registry;
    jobs;
    notifier;
    constructor(store, registry, jobs, notifier) {
        this.store = store;
        this.registry = registry;
        this.jobs = jobs;
        this.notifier = notifier;
    }
    /** Creates or replaces; `created` tells which (201 or 200). */
    async put({ id, owner, admin, request, }) {
        const definition = readScheduleDefinition(request, this.registry);
        const outcome = await this.store.putSchedule({ id, owner, admin, definition });
        if (outcome.kind === 'taken' || outcome.kind === 'declared-in-code')
            return outcome;
        await this.changed(id);
        return { kind: 'done', schedule: { schedule: toSchedule(outcome.row), created: outcome.kind === 'created' } };
    }
    async get(scope) {
        const row = await this.store.getSchedule(scope);
        return row && toSchedule(row);
    }
    async list(params) {
        return (await this.store.listSchedules(params)).map(toSchedule);
    }
    async delete(scope) {
        const outcome = await this.store.deleteSchedule(scope);
        if (outcome.kind !== 'done')
            return outcome;
        return { kind: 'done', schedule: toSchedule(outcome.row) };
    }
    async setPaused(scope) {
        const outcome = await this.store.setPaused(scope);
        if (outcome.kind !== 'done')
            return outcome;
        if (!scope.paused)
            await this.changed(scope.id);
        return { kind: 'done', schedule: toSchedule(outcome.row) };
    }
    /** Runs one job of the schedule now. Throws `InvalidJobError` when its type no longer takes the template. */
    async trigger(scope) {
        const outcome = await this.store.triggerSchedule({
            ...scope,
            prepare: (template) => this.jobs.prepare(enqueueRequestOf(template)),
        });
        if (outcome.kind === 'not-found')
            return outcome;
        this.jobs.announce([outcome.enqueued]);
        return {
            kind: 'triggered',
            schedule: toSchedule(outcome.row),
            job: outcome.enqueued.job,
            replayed: outcome.enqueued.replayed,
        };
    }
    /** Wakes every instance's scheduler (a hint: each also looks by itself every `maxIdleMs`). */
    async changed(id) {
        await this.notifier.publish('schedulesChanged', id);
    }
}
//# sourceMappingURL=scheduleService.js.map