/**
 * The in-process runner as the service sees it: `concurrency` slots, started and stopped by the
 * lifecycle. Each start builds a new, single-use `RunnerGeneration` (claim loop, local queue, runs,
 * outcome writes and background services: src/runner/generation.ts) and each stop ends it, so a
 * drain → resume → drain sequence never reuses a timer, a subscription or a deadline.
 *
 *   idle ──start()──▶ generation 1 running ──stop()──▶ stopped ──start()──▶ generation 2 running …
 *
 * What outlives a generation lives here: the instance id shown to operators, the typed events, and
 * `LiveRuns`, the runs whose code still executes (an abandoned run keeps its slot and blocks a second
 * run of its job until its code returns). Whether the service may claim at all is asked of
 * `mayClaim` (the lifecycle), never kept here.
 */
import { randomUUID } from 'node:crypto';
import { TypedEmitter } from './events.js';
import { RunnerGeneration } from './generation.js';
import { LiveRuns } from './liveRuns.js';
/** The runner's settings, as the service configuration gives them. */
export function runnerConfigFrom(config) {
    return {
        concurrency: config.concurrency,
        localQueueSize: config.localQueueSize,
        queues: config.queues,
        queueLimits: config.queueLimits,
        leaseMs: config.leaseMs,
        checkpointIntervalMs: config.checkpointIntervalMs,
        pollIntervalMs: config.pollIntervalMs,
        retryBaseMs: config.retryBaseMs,
        retentionMs: config.retentionMs,
        cancelGraceMs: config.cancelGraceMs,
    };
}
const EMPTY_REPORT = { released: [], interrupted: [], abandoned: [], unwritten: [] };
export class Runner {
    config;
    deps;
    /** This process's id for operators and logs; the first generation leases under it, later ones under ids of their own. */
    instanceId;
    events = new TypedEmitter();
    liveRuns = new LiveRuns();
    generation;
    generations = 0;
    /** Counts `stop()` calls, so that a start can tell a stop came while it waited. */
    stopsAsked = 0;
    constructor(config, deps) {
        this.config = config;
        this.deps = deps;
        this.instanceId = config.instanceId ?? randomUUID();
    }
    /** Runs holding a slot, of any generation (abandoned runs whose code still executes included). */
    get runningJobs() {
        return this.liveRuns.slotsTaken;
    }
    /** The current generation's running jobs. */
    get runningJobIds() {
        return this.generation?.runningJobIds ?? [];
    }
    /** Jobs claimed ahead and waiting for a slot. */
    get waitingJobs() {
        return this.generation?.waitingJobs ?? 0;
    }
    /** The lease owner of the current generation (tests read the database with it). */
    get leaseOwner() {
        return this.generation?.leaseOwner;
    }
    /**
     * Starts a new generation, after the previous one has stopped. Starting a running runner does
     * nothing; callers (the lifecycle) serialize start and stop.
     */
    async start() {
        const previous = this.generation;
        if (previous?.isActive)
            return;
        const stopsBefore = this.stopsAsked;
        // A generation still stopping finishes first: its jobs must be written before new claims.
        if (previous)
            await previous.stop({ graceMs: Infinity });
        // A stop asked meanwhile (a shutdown in the same tick as a resume) reached the previous
        // generation only: starting a new one now would leave it claiming after that stop.
        if (this.stopsAsked !== stopsBefore)
            return;
        // The first generation leases under the instance id, so a runner that never drains is one id everywhere.
        const leaseOwner = this.generations++ === 0 ? this.instanceId : randomUUID();
        const generation = new RunnerGeneration(leaseOwner, this.config, {
            ...this.deps,
            events: this.events,
            liveRuns: this.liveRuns,
        });
        this.generation = generation;
        await generation.start();
    }
    /** Stops the current generation within `graceMs`. Calling it again returns the same promise, with the stricter deadline. */
    stop({ graceMs }) {
        this.stopsAsked += 1;
        return this.generation?.stop({ graceMs }) ?? Promise.resolve(EMPTY_REPORT);
    }
    /**
     * Blames an uncaught exception on the runs whose job file is in its stack (on every run, when none
     * is): their outcome is a failed attempt, so a job that crashes the process uses its attempts and
     * ends `failed`, while the other runs are interrupted and refunded. Returns the ids blamed.
     */
    blameCrash(error) {
        return this.generation?.blameCrash(error) ?? [];
    }
}
//# sourceMappingURL=runner.js.map