/**
 * The runner's typed lifecycle events. Logs, metrics and tests all listen here; tests wait for an
 * event instead of sleeping.
 */
import { EventEmitter } from 'node:events';
export class TypedEmitter {
    emitter = new EventEmitter().setMaxListeners(0);
    on(event, listener) {
        this.emitter.on(event, listener);
        return () => this.emitter.off(event, listener);
    }
    emit(event, payload) {
        this.emitter.emit(event, payload);
    }
    /** Resolves with the first `event` whose payload satisfies `predicate`; register before you cause it. */
    waitFor(event, predicate = () => true, { signal } = {}) {
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                off();
                reject(signal?.reason);
            };
            const off = this.on(event, (payload) => {
                if (!predicate(payload))
                    return;
                off();
                signal?.removeEventListener('abort', onAbort);
                resolve(payload);
            });
            signal?.addEventListener('abort', onAbort, { once: true });
        });
    }
}
//# sourceMappingURL=events.js.map