/**
 * Rejects (with `timeoutError()`, or a plain Error) when `promise` has not settled within `ms`;
 * the work itself goes on unobserved. An infinite `ms` (no deadline yet) waits as long as it takes.
 */
export function withTimeout(promise, ms, timeoutError = () => new Error(`timed out after ${ms} ms`)) {
    if (ms === Infinity)
        return promise;
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(timeoutError()), ms);
        timer.unref();
        promise.then((value) => {
            clearTimeout(timer);
            resolve(value);
        }, (error) => {
            clearTimeout(timer);
            reject(error);
        });
    });
}
//# sourceMappingURL=withTimeout.js.map