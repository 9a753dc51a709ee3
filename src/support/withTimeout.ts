/**
 * Rejects (with `timeoutError()`, or a plain Error) when `promise` has not settled within `ms`;
 * the work itself goes on unobserved. An infinite `ms` (no deadline yet) waits as long as it takes.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  timeoutError = () => new Error(`timed out after ${ms} ms`),
): Promise<T> {
  if (ms === Infinity) return promise
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms)
    timer.unref()
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
