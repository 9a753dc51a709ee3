import { dueSlots } from './timing.js';
export function planFire({ timing, nextRunAt, now, backfillMaxSlots, overlap, previousActive }) {
    const keep = 1 + (backfillMaxSlots ?? 0);
    const due = dueSlots(timing, nextRunAt, now, keep);
    const missed = due.count - due.latest.length;
    const base = { missed, capped: due.capped, next: due.next };
    if (due.latest.length === 0)
        return { ...base, fire: [], skipped: 0, cancelPrevious: false };
    if (overlap === 'allow')
        return { ...base, fire: due.latest, skipped: 0, cancelPrevious: false };
    if (overlap === 'skip' && previousActive) {
        return { ...base, fire: [], skipped: due.latest.length, cancelPrevious: false };
    }
    return {
        ...base,
        fire: due.latest.slice(-1),
        skipped: due.latest.length - 1,
        cancelPrevious: overlap === 'cancel-previous' && previousActive,
    };
}
//# sourceMappingURL=firing.js.map