/**
 * A signal that aborts when any of its sources does, and lets go of them when disposed: a request's
 * wait joined to the service's shutdown signal, one per request.
 *
 * `AbortSignal.any()` would do, but on Node 20 every source keeps a reference to each signal ever made
 * from it until the source itself is collected (nodejs/node#55351): joined per request to the shutdown
 * signal, which lives as long as the process, it grows by one entry a request, forever. Here each source
 * holds one 'abort' listener, removed by `dispose()`.
 */
export interface LinkedAbortSignal {
    readonly signal: AbortSignal;
    /** Removes the listeners from the sources; the signal stays as it is. Safe to call twice. */
    dispose(): void;
}
export declare function linkAbortSignals(sources: readonly AbortSignal[]): LinkedAbortSignal;
