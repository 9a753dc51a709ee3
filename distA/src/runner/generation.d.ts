import type { RunnerEvents, TypedEmitter } from './events.js';
import type { LiveRuns } from './liveRuns.js';
import type { RunnerConfig, RunnerDependencies, StopReport } from './runner.js';
export interface GenerationDependencies extends RunnerDependencies {
    events: TypedEmitter<RunnerEvents>;
    liveRuns: LiveRuns;
}
export declare class RunnerGeneration {
    readonly leaseOwner: string;
    private readonly config;
    private readonly deps;
    private state;
    private starting;
    private stopping;
    /** Jobs claimed ahead (their attempt counted) whose code has not run yet: the next to take a slot. */
    private readonly localQueue;
    /** Runs started by this generation and not settled: each holds a slot. */
    private readonly executions;
    /** Settled runs whose outcome is being written; their slot is free, their lease still held. */
    private readonly settling;
    /** Outcome writes in flight; a stop waits for them. */
    private readonly writing;
    private readonly doorbell;
    /**
     * The claim loop's wait when a claim found nothing: the poll interval, doubling up to
     * `idlePollMaxMs` while claims keep finding nothing, where every instance's wake-ups reach this one
     * (a new, released, retried or recovered job rings the doorbell; a job due later, its due timer).
     * The poll is then only the fallback for what no notice announced (a job changed by hand in SQL,
     * a due time past what the timer keeps). A claim that finds jobs brings it back to the interval.
     */
    private readonly claimPace;
    private readonly dueTimer;
    /**
     * Whether the queue may hold jobs this instance has not claimed for want of room: the last claim
     * took all it asked for, or none was made because every slot and the local queue were full, or
     * limits are served (see the claim loop). Only then does a settling job ring the claim loop. After
     * a short claim the queue was empty, and whatever arrives later rings it itself (an enqueue's
     * notice, a due timer, a limited job's end); a ring per settle then made an empty claim per job.
     */
    private queueMayHoldMore;
    /**
     * With limits served: whether the plain claim (types and queues without limits) may find work.
     * Closed once it came back short; opened on a notice of jobs available (not on a limited job's
     * end, here or elsewhere, which frees a place under limits only), a due time, a resync, a pause
     * resumed. A keyed drain made an empty plain claim after every limited one: about 0.7 ms of
     * PostgreSQL each, on index entries its own claims had just left dead.
     */
    private readonly plainClaims;
    /**
     * With limits served: whether the limited claim may find work. Closed once it found nothing with a
     * free slot to fill (every key and type it could take was at its limits, or nothing was queued):
     * a settle then frees no place, since the settled job holds it until its outcome is written.
     * Opened on the end of a limited job, here or on another instance (`limitedJobEnded`), and on
     * whatever opens the plain claim's gate. Each settle in a keyed drain whose keys were all held ran
     * it again, and with every key at its limit it reads the whole backlog to find nothing: 20 ms and
     * more, several times a drain.
     */
    private readonly limitedClaims;
    /** Some job waiting in the local queue was claimed before its `runAt` (START_LOOKAHEAD_MS). */
    private holdsEarlyJobs;
    /** Fills the slots when the first early job waiting here falls due. */
    private earlyStartTimer;
    private claimLoop;
    /** Aborted at the stop deadline: writes still retrying give up. */
    private readonly deadline;
    private graceTimer;
    private readonly interruptedIds;
    private readonly unwrittenIds;
    private readonly outcomes;
    private readonly leaseKeeper;
    private readonly checkpointFlusher;
    private readonly leaseSweeper;
    private readonly expirySweeper;
    private readonly statisticsKeeper;
    private readonly pruner;
    private readonly unsubscribe;
    /** A job's `flush()`: one function for every execution. */
    private readonly flushOne;
    private readonly timeouts;
    /** The job log writes in flight, chained (see `writeLogLines`). */
    private logWrites;
    /** The next log write while it waits for the one before: lines taken meanwhile join it. */
    private openLogWrite;
    /** The job types with concurrency limits (`defineJob({ concurrency })`), which only the limited claim takes. */
    private readonly limited;
    /**
     * `leaseOwner`: the id of this generation's claims and writes, and of its row in
     * `job_runner_instances`; unique to it, so that the lease fence tells generations apart.
     */
    constructor(leaseOwner: string, config: RunnerConfig, deps: GenerationDependencies);
    /** Starting or running: not yet asked to stop. */
    get isActive(): boolean;
    get runningJobIds(): string[];
    /** Jobs claimed and not started yet. */
    get waitingJobs(): number;
    /**
     * Waiting jobs that can take the next free slot. A job whose earlier run still executes in this
     * process (abandoned: see `LiveRuns`) waits here until that run ends; counted as waiting, it would
     * keep the claim loop from claiming for the slot it cannot take.
     */
    private get startableWaiting();
    /** Some live run is not one of this generation's executions: an abandoned run may block a waiting job. */
    private get mayBlock();
    /** Registers the instance and starts claiming. Once only. */
    start(): Promise<void>;
    private register;
    /** Stops within `graceMs`, whatever the jobs do. Calling it again returns the same promise, with the stricter deadline. */
    stop({ graceMs }: {
        graceMs: number;
    }): Promise<StopReport>;
    /**
     * An uncaught exception was blamed on `execution` (or on every run, when no job's file is in its
     * stack): its outcome is a failed attempt, whatever it does next.
     */
    blameCrash(error: Error): string[];
    private shutDown;
    private get events();
    /** Resolves once no job of this generation runs and no outcome is being written. */
    private allWritten;
    private get freeSlots();
    /**
     * Claims for the free slots plus what the local queue wants to hold, and sleeps on the doorbell
     * when there is nothing to claim or nowhere to put it. Settling jobs fill their slots without
     * waiting for this loop.
     */
    private runClaimLoop;
    /**
     * Claims up to `limit` jobs. Job types and queues with limits are claimed first, by their own
     * statement, and only for the `freeSlots` (a job claimed counts against its limits on every
     * instance, so holding one ahead would keep another instance from running it), unless only
     * `perKey` limits hold them (a job held ahead then holds only its own key's place); the plain claim,
     * which leaves those types alone, fills the rest. With no limited type, it is the plain claim alone.
     */
    private claim;
    /**
     * The limited claim, through its gate (`limitedClaims`). The gate stays open after a claim that took
     * jobs (a key with fewer places than candidates leaves it short of what waits behind them), and
     * after one that could not fill a slot for want of one (`limit` 0): a settle then lets it take a job
     * held to free slots.
     */
    private claimLimited;
    /** A rate-limited type may start again at `atMs`: every instance serving these queues wakes then. */
    private readonly onNextRateStart;
    /** A rate limiter holds back the limited claim until `atMs`, which this instance may not have heard: it wakes then. */
    private readonly onRateWait;
    /**
     * Pauses this instance heard of: jobs of theirs waiting here go back unrun (a pause holds them all
     * in the database, where any instance sees them again once resumed); with `checkpoint`, running
     * ones are stopped with the token reason `paused` and go back with their checkpoint (the `pause` row).
     */
    private onPause;
    /** Jobs a claim brought that a pause (heard of while the claim ran) holds: handed back unrun. */
    private notPaused;
    /**
     * A job whose lease expired while this generation still held it (a database outage, or an event
     * loop blocked, longer than the lease) is recovered by a sweeper and may be claimed again by this
     * same generation. That claim is the job's now: the lease fence refuses every write of the run
     * before it (`fenced` in the store: its claim counted an older attempt). A run still executing here
     * under the old claim is superseded (`supersede`), and the new claim waits in the local queue until
     * that run's code returns: never two live runs of one job here.
     *
     * A job whose run has settled here while its outcome is being written may be claimed again too:
     * either that outcome requeued it (a yield; a retry due within the start lookahead) and committed
     * before the claim, which is then the job's next attempt, or the claim came first and the fence
     * refuses the outcome. Both ways the claim holds the job, but it waits for that write to answer
     * (`takeOnceSettled`): one job's two writes never share a batch, and its run is not under way
     * twice in the runner's bookkeeping.
     */
    private notHeldHere;
    /**
     * A run whose claim this generation has made again since its lease was lost: nothing it writes can
     * pass the fence any more, so it is stopped (its token fires with `shutdown`) and forgotten like an
     * abandoned run, its slot held until its code returns (`LiveRuns`); the new claim then runs the
     * job from its last written checkpoint.
     */
    private supersede;
    /**
     * Jobs claimed while their last run's outcome was still being written here. Once those writes have
     * answered, a claim that still holds its job (running, leased here, under the attempt it counted)
     * waits here like any claimed job, its lease renewed. One that does not lost its lease meanwhile
     * (the write waited out an outage longer than the lease): the sweep gave the job back, and the
     * claim is forgotten.
     */
    private takeOnceSettled;
    /**
     * Puts claimed jobs in the local queue. Claimed while the stop began, the released queue refuses
     * them, and they go back at once.
     */
    private hold;
    /** Starts waiting jobs in the free slots. */
    private fillSlots;
    /**
     * Notes a due time for the claim loop twice: early by the lookahead, and on time. The on-time ring
     * is for the limited claim, which takes no job early, and for a ring that came while every slot was
     * taken or promised to jobs held early (no claim ran then, and the settles that rang later may all
     * have come before the job was within the lookahead): without it, the job would wait for the poll.
     */
    private noteDue;
    /** Arms the start of the first early job still waiting, or forgets that there are any. `nowText`: `now` as ISO text. */
    private armEarlyStart;
    /** Runs a claimed job (its attempt counted, as the job object shows). */
    private execute;
    /** Jobs may have become claimable (a notice, a due time, a resync, a resume): the loop looks, with both claims. */
    private workMayWait;
    /**
     * A started job settled (never during `execute`: see JobExecution's `onSettled`): its slot frees
     * at once, and its outcome is written in the next batch, the lease held until then.
     */
    private readonly onSettled;
    /**
     * Writes a settled run's log lines, then its outcome. Before the outcome: whoever sees the job
     * finished sees its last lines too. Not past the stop deadline, though: the outcome matters more
     * than its last lines.
     */
    private writeSettled;
    /**
     * A success, nearly every run of a busy queue: one async frame from settlement to written (each
     * frame of a run lives until its batch is written, tens of thousands of them a second in a drain).
     * Its completion joins the next batch; a failed first write is retried as any other outcome's.
     */
    private writeSuccess;
    /** A run that threw, or crashed the process. */
    private writeUnsuccessful;
    /** The outcome of `execution` is written (or given up on). */
    private writeEnded;
    /**
     * A job of a limited type or queue holds its place no more: its outcome is written (or given up
     * on), or it left the local queue cancelled or paused, or its run was abandoned and its failure or
     * cancel written. Instances that found its key or type at its limit, this one included, claim again
     * now rather than at their next poll (src/runner/claimGate.ts).
     */
    private placeFreed;
    /**
     * A job settled apart from its run's own outcome (cancelled or paused while it waited here, or its
     * run abandoned on a cancel), once that write answered: `lost` when its row was not written.
     * Watchers hear of a written one; its place under limits is given up either way.
     */
    private settledApart;
    /**
     * A run that ignored its timeout's token for `timeoutAbandonGraceMs`: its checkpoint is written and
     * the attempt fails (retried with backoff while attempts remain); its slot goes to other jobs. The
     * code goes on until it returns, and `LiveRuns` keeps this job from starting here again meanwhile.
     */
    private abandonTimedOut;
    /**
     * A run that ignored its cancel's token for `cancelGraceMs` (CANCEL_GRACE_SECONDS): abandoned like
     * at shutdown, its slot freed, but its outcome is the one asked for: `cancelled` (the `cancel
     * running` row, its checkpoint written). The code goes on until it returns; `LiveRuns` keeps the job
     * from starting here again meanwhile, and the lease fence refuses its late outcome.
     */
    private abandonCancelled;
    /**
     * A pause request for a job claimed here (`POST /v1/jobs/{id}/pause`): a running job's token fires
     * with `paused`; a job whose code has not run yet never starts and takes the `pause` row at once,
     * the attempt its claim counted given back.
     */
    private pause;
    /**
     * A cancel request for a job claimed here: a running job's token fires; a job whose code has not run
     * yet never starts and is marked cancelled, the attempt its claim counted given back.
     */
    private cancel;
    /** Forgets a waiting job whose lease another instance recovered. */
    private dropWaiting;
    /**
     * Hands back jobs that waited longer than the local queue's TTL (their attempt is refunded): behind
     * slots held by slow jobs, another instance may run them sooner.
     */
    private releaseExpired;
    private trackWrite;
    /** Gives back jobs whose code never ran; returns the ids released. */
    private release;
    /** A run that threw: a failed attempt, or one its token stopped (a shutdown, a cancel, a pause, its slice's end). */
    private writeRejected;
    /**
     * What follows an outcome write: `written` true when the row was written, false when the lease had
     * been lost (another instance owns the job now, and its outcome wins), undefined when the write
     * gave up at the stop deadline.
     */
    private afterOutcome;
    /** A failed attempt: retried after its backoff while attempts remain, otherwise `failed`. */
    private writeFailure;
    /** `work`, or nothing once the stop deadline passes. */
    private untilDeadline;
    /** Retries a write through a database outage until it lands or the stop deadline passes. */
    private retryWrite;
    /** `retryWrite` after a first attempt failed with `error`. */
    private retryAfter;
    /**
     * Writes checkpoints and progress of `executions` in one statement, and their log lines in one
     * more: the flusher's (which passes runs with news of either kind) and a job's `flush()`.
     */
    private writeCheckpoints;
    /**
     * The log lines of `executions` in one statement (lines that cannot be written are dropped with a
     * warning). Writes go one after the other, in the order their lines were taken: line ids are the
     * log's order and its trim keeps the newest ids, and an outcome waits for the writes before it.
     * Lines taken while a write is in flight join the next one, which goes when that write ends: each
     * finishing job that logged writes its lines before its outcome, and one write (two statements)
     * per job, in a row, held a drain of such jobs to a few hundred a second (bench/RESULTS.md, P8features).
     */
    private writeLogLines;
    private writeSnapshots;
    /**
     * Jobs this instance's sweep recovered, perhaps its own (an outage longer than the lease). One still
     * waiting in the local queue under the claim whose lease was lost is forgotten now: the job is queued
     * again, and that stale entry, started after this instance claimed the job again but before that
     * claim's answer was read, would be a run the fence refuses every write of. An entry of a later claim
     * (more attempts counted than the recovered row kept) stays. A run already executing goes on until
     * the lease keeper finds its lease gone, or a new claim here supersedes it (`notHeldHere`).
     */
    private onLeasesRecovered;
    private reportError;
}
