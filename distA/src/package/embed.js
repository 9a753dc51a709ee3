/**
 * `startService` as the package exports it, for a program that runs job-runner inside itself: the
 * configuration comes from an environment object (`process.env` by default, every variable of the
 * README), the jobs from a list of definitions or a folder, and no signal handler is installed — the
 * host program owns its process and calls `stop()` (the graceful shutdown: jobs checkpointed and
 * requeued within `SHUTDOWN_GRACE_SECONDS`) from its own SIGTERM handler.
 *
 * The host observes the service's lifecycle through `on()`: the typed lifecycle events the service
 * already emits for its metrics, event streams and tests (`lifecycle:state` on each move — running,
 * draining, drained, stopping, exited — and `lifecycle:stopped` with the stop's report), rather than
 * a separate set of hooks that would have to be kept in step with them. Being ready needs no event:
 * `startService` resolves once the port is bound and the runner claims. A host's listener runs
 * synchronously inside the transition, is never awaited, and one that throws (or rejects) is logged
 * and ignored, so no host code can hold up a drain or break the exit-in-budget guarantee.
 *
 * @example
 * const service = await startService({ jobs: [resize, report], env: { ...process.env, PORT: '0' } })
 * service.on('lifecycle:state', ({ state }) => state === 'draining' && markUnready())
 * service.on('lifecycle:stopped', ({ report }) => console.log('requeued', report.interrupted))
 * process.once('SIGTERM', () => void service.stop())
 */
import path from 'node:path';
import { JobRegistry, loadJobRegistry } from '../../jobs/registry.js';
import { loadConfig } from '../config.js';
import { coerceError, createLogger } from '../log.js';
import { startService as startInternalService } from '../service.js';
export async function startService(options = {}) {
    const config = loadConfig(options.env ?? process.env);
    const log = options.log ?? createLogger({ level: config.logLevel });
    const registry = options.jobs
        ? new JobRegistry(options.jobs)
        : await loadJobRegistry(path.resolve(options.jobsDir ?? config.jobsDir ?? 'jobs'));
    const service = await startInternalService({
        config,
        log,
        registry,
        ...(options.signal ? { signal: options.signal } : {}),
    });
    const on = (event, listener) => service.lifecycle.events.on(event, (payload) => {
        const failed = (error) => log.error({ err: coerceError(error), event }, 'a lifecycle listener of the host program failed');
        try {
            const returned = listener(payload);
            if (returned instanceof Promise)
                returned.catch(failed);
        }
        catch (error) {
            failed(error);
        }
    });
    return Object.assign(service, { stop: (cause = 'stop()') => service.lifecycle.shutdown(cause), on });
}
//# sourceMappingURL=embed.js.map