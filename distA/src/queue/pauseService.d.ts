/**
 * Cluster-wide pauses as the admin routes use them: pause or resume a queue or a job type, stored
 * (so every instance, and every later start, honours it) and announced, so that every instance's
 * pause board reads it at once (src/queue/pauses.ts). Pausing something the service does not know
 * is refused: a typo must not silently pause nothing.
 */
import type { Notifier } from './notifier.js';
import type { PauseBoard } from './pauses.js';
import type { Pause, PauseKind, PauseMode, PauseStore } from './pauseStore.js';
/** The queue or job type named is not one this service knows. */
export declare class UnknownPauseTargetError extends Error {
    readonly kind: PauseKind;
    readonly target: string;
    name: string;
    constructor(kind: PauseKind, target: string);
}
export interface PauseServiceDependencies {
    store: PauseStore;
    board: PauseBoard;
    notifier: Pick<Notifier, 'publish'>;
    /** A job type is known when a job file defines it. */
    isKnownType: (type: string) => boolean;
    /** A queue is known when declared, served by a live instance, or holding queued jobs. */
    isKnownQueue: (queue: string) => Promise<boolean>;
}
export interface PauseState {
    kind: PauseKind;
    name: string;
    paused: boolean;
    mode: PauseMode | null;
    pausedAt: string | null;
}
export declare class PauseService {
    private readonly deps;
    constructor(deps: PauseServiceDependencies);
    list(): Promise<Pause[]>;
    /** Pauses a queue or a job type on every instance; `checkpoint` also stops their running jobs. */
    pause({ kind, name, mode }: {
        kind: PauseKind;
        name: string;
        mode: PauseMode;
    }): Promise<PauseState>;
    /** Resumes it; resuming what is not paused answers `paused: false` all the same. */
    resume({ kind, name }: {
        kind: PauseKind;
        name: string;
    }): Promise<PauseState>;
    private refuseUnknown;
    /**
     * Every instance's board reads the table again (this one's before the answer goes out, so a claim
     * here never follows a pause it answered); runners wake, for the work a resume gives back.
     */
    private announce;
}
