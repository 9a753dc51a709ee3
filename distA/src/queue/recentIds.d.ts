/**
 * The ids seen during about the last `windowMs` (at most `maxSize` of them per generation, so under
 * load the window shrinks rather than the memory grows): two generations, the older dropped when the
 * newer is full or a window old. Used for the change notices a job got while nobody elsewhere
 * watched it: a watch announced at that moment from another instance crossed the change on the
 * wire, and the notice is sent when the watch arrives (src/queue/notifier.ts).
 *
 * `add` runs on every start and every settle of a drain, a question (`has`, `recent`, `all`) only
 * when another instance begins a watch: so a generation is an array `add` pushes to, the questions
 * scan it, and `add` reads the clock once every `CLOCK_EVERY` adds. (A set per generation, grown
 * from empty to `maxSize` every rotation, and the clock read on each add cost a drain about 0.7 µs
 * a job.)
 */
export interface RecentIdsConfig {
    windowMs?: number;
    /** Adds per generation (an id added twice, as on a job's start and its settle, counts twice). */
    maxSize?: number;
}
export declare class RecentIds {
    private current;
    private previous;
    private rotatedAt;
    /** Adds left until `add` reads the clock again. */
    private untilClock;
    /** How many of `current`'s ids were added before the clock was last read. */
    private timed;
    private readonly windowMs;
    private readonly maxSize;
    /** `maxSize` counts adds: a job's id comes twice (start, settle), so 20,000 are about 10,000 jobs. */
    constructor({ windowMs, maxSize }?: RecentIdsConfig);
    add(id: string): void;
    has(id: string): boolean;
    /** Those of `ids` still remembered, in their order: one pass over the generations for them all. */
    recent(ids: readonly string[]): string[];
    /** Every id still remembered. */
    all(): string[];
    /** A generation a window old makes way for a new one, as if `add` had read the clock itself. */
    private readClock;
    /**
     * A generation older than two windows holds nothing recent any more, but for the ids added since
     * the clock was last read: when they came is unknown, so they are kept as a fresh generation (a
     * notice sent twice costs a message, one never sent leaves a watcher waiting for its poll).
     */
    private expire;
    private rotate;
    /** `current` begins at `now`, and what it holds counts as added then. */
    private restart;
}
