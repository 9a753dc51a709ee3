import { withTimeout } from './support/withTimeout.js';
export function instanceWork(runner, { stopFirst = [], stopBeside = [], firstStopBudgetMs = 2000 }) {
    /** Counts stops, so that a start can tell a stop came while the runner started (as `Runner.start` does). */
    let stopsAsked = 0;
    return {
        async start() {
            const stopsBefore = stopsAsked;
            await runner.start();
            if (stopsAsked !== stopsBefore)
                return;
            for (const companion of [...stopFirst, ...stopBeside])
                companion.start();
        },
        async stop({ graceMs }) {
            stopsAsked += 1;
            const started = Date.now();
            const first = Promise.all(stopFirst.map((c) => c.stop()));
            await withTimeout(first, Math.min(graceMs, firstStopBudgetMs)).catch(() => { });
            const left = Math.max(0, graceMs - (Date.now() - started));
            // A companion's batch under way is one short transaction; a database that hangs is cut off at
            // the grace, and the lease it holds expires for another instance.
            const [report] = await Promise.all([
                runner.stop({ graceMs: left }),
                withTimeout(Promise.all(stopBeside.map((c) => c.stop())), left).catch(() => { }),
            ]);
            return report;
        },
        get runningJobs() {
            return runner.runningJobs;
        },
    };
}
//# sourceMappingURL=instanceWork.js.map