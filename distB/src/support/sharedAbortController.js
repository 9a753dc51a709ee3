/**
 * An AbortController whose signal many waits listen to at once: every open long-poll listens to the
 * shutdown signal, every outcome write retrying through a database outage to the stop deadline.
 * Node warns of a leak ("MaxListenersExceededWarning") from the eleventh listener of an
 * AbortSignal; for these signals that many listeners is the normal case, and each one is removed
 * when its wait ends.
 */
import { setMaxListeners } from 'node:events';
export function sharedAbortController() {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
}
//# sourceMappingURL=sharedAbortController.js.map