/**
 * What one fire of a due schedule does, decided without I/O (the store carries it out in one
 * transaction). Of the slots due since `next_run_at`:
 *
 * - the latest one is the current slot: it always fires (late, if the scheduler reaches it late);
 * - the earlier ones were missed (every instance was down, or busy past the next slot): the newest
 *   `backfill.maxSlots` of them fire too, oldest first; the rest are skipped and counted as missed;
 * - `overlap: "skip"` fires nothing while the previous job is queued or running (the slots count as
 *   skipped); `"cancel-previous"` cancels that job and fires. With either, only the newest slot of
 *   those about to fire is enqueued (the others would be skipped or cancelled at once) and the
 *   others count as skipped.
 *
 * `next` is the first slot after now: slots already decided are never decided again.
 */
import type { Overlap } from './schedule.js';
import { type Timing } from './timing.js';
export interface FireInput {
    timing: Timing;
    /** The schedule's `next_run_at`: the earliest slot not yet decided. */
    nextRunAt: Date;
    /** The database's clock, the same for every instance. */
    now: Date;
    backfillMaxSlots: number | null;
    overlap: Overlap;
    /** The schedule's last job is queued or running. */
    previousActive: boolean;
}
export interface FirePlan {
    /** Slots to enqueue, oldest first. */
    fire: Date[];
    /** Slots not enqueued because of `overlap`. */
    skipped: number;
    /** Slots missed beyond the backfill (a lower bound when `capped`). */
    missed: number;
    capped: boolean;
    /** Cancel the previous job (it is active and `overlap` is `cancel-previous`). */
    cancelPrevious: boolean;
    /** The schedule's new `next_run_at`; null when the pattern never fires again. */
    next: Date | null;
}
export declare function planFire({ timing, nextRunAt, now, backfillMaxSlots, overlap, previousActive }: FireInput): FirePlan;
