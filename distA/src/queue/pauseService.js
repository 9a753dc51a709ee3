/** The queue or job type named is not one this service knows. */
export class UnknownPauseTargetError extends Error {
    kind;
    target;
    name = 'UnknownPauseTargetError';
    constructor(kind, target) {
        super(`no ${kind === 'queue' ? 'queue' : 'job type'} named ${JSON.stringify(target)} is known`);
        this.kind = kind;
        this.target = target;
    }
}
export class PauseService {
    deps;
    constructor(deps) {
        this.deps = deps;
    }
    list() {
        return this.deps.store.listPauses();
    }
    /** Pauses a queue or a job type on every instance; `checkpoint` also stops their running jobs. */
    async pause({ kind, name, mode }) {
        await this.refuseUnknown(kind, name);
        const pause = await this.deps.store.pause({ kind, name, mode });
        await this.announce(kind, name);
        return { kind, name, paused: true, mode: pause.mode, pausedAt: pause.pausedAt };
    }
    /** Resumes it; resuming what is not paused answers `paused: false` all the same. */
    async resume({ kind, name }) {
        const wasPaused = await this.deps.store.resume({ kind, name });
        if (!wasPaused)
            await this.refuseUnknown(kind, name);
        else
            await this.announce(kind, name);
        return { kind, name, paused: false, mode: null, pausedAt: null };
    }
    async refuseUnknown(kind, name) {
        const known = kind === 'type' ? this.deps.isKnownType(name) : await this.deps.isKnownQueue(name);
        if (!known)
            throw new UnknownPauseTargetError(kind, name);
    }
    /**
     * Every instance's board reads the table again (this one's before the answer goes out, so a claim
     * here never follows a pause it answered); runners wake, for the work a resume gives back.
     */
    async announce(kind, name) {
        await this.deps.notifier.publish('pausesChanged', `${kind}:${name}`);
        await this.deps.board.refresh();
    }
}
//# sourceMappingURL=pauseService.js.map