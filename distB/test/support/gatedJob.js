/**
 * A job type whose runs hold their slot (and, with limits, their place) until the test opens its
 * gate: what a test needs to keep a slot or a key taken while it watches what else the runner does.
 * `reset()` closes the gate again, for the next database's run of the same test file.
 *
 *   const holder = gatedJob('gated', { perKey: 1 })
 *   await openEngine(database, { extraJobs: [holder.job] })
 *   …
 *   holder.open()
 */
import { defineJob } from '../../jobs/defineJob.js';
export function gatedJob(name, concurrency) {
    let gate = newGate();
    const job = defineJob({
        name,
        payloadSchema: {},
        ...(concurrency ? { concurrency } : {}),
        async run() {
            await gate.opened;
            return null;
        },
    });
    return {
        job,
        open: () => gate.open(),
        reset: () => {
            gate = newGate();
        },
    };
}
function newGate() {
    let open;
    const opened = new Promise((resolve) => (open = resolve));
    return { opened, open };
}
//# sourceMappingURL=gatedJob.js.map