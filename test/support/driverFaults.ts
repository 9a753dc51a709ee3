/**
 * main.ts skips one uncaught exception that is the PostgreSQL driver's, not a job's: postgres.js's
 * write to a connection it has closed (src/db/driverFault.ts). A service or an engine started in the
 * test's own process (service.ts, engine.ts) has no such handler, and node:test blames every uncaught
 * exception on the test running at the time: the database-faults suite met it in CI, failing a test
 * whose service had done nothing wrong. While one runs, this skips that one fault as main.ts does and
 * passes every other exception on to node:test's handler unchanged.
 *
 * Node keeps one capture callback per process, and a test may run several services and engines: the
 * first to start installs it and the last to close removes it.
 */
import { DRIVER_FAULT_SKIPPED, isDriverWriteAfterClose } from '../../src/db/driverFault.js'

/**
 * The TypeError postgres.js throws on a write to a connection it has closed, with `frames` as its
 * stack below the message: the tests' stand-in for the fault (test/db/driverFault.test.ts gives it
 * the frames CI logged, and others).
 */
export function driverTypeError(...frames: string[]): TypeError {
  const message = "Cannot read properties of null (reading 'write')"
  const error = new TypeError(message)
  error.stack = [`TypeError: ${message}`, ...frames.map((frame) => `    at ${frame}`)].join('\n')
  return error
}

let holders = 0
const skipped: Error[] = []

/** The driver faults skipped so far in this process. */
export function skippedDriverFaults(): readonly Error[] {
  return skipped
}

/** Skips the driver's fault until the returned release is called (once per holder). */
export function holdDriverFaultSkip(): () => void {
  if (holders++ === 0) {
    process.setUncaughtExceptionCaptureCallback((error) => {
      if (isDriverWriteAfterClose(error)) {
        skipped.push(error as Error)
        process.stderr.write(`${DRIVER_FAULT_SKIPPED}\n`)
        return
      }
      // As the process would have emitted it without a capture callback (node's types list no such overload).
      const emit = process.emit.bind(process) as (event: string, ...args: unknown[]) => boolean
      emit('uncaughtException', error, 'uncaughtException')
    })
  }
  let released = false
  return () => {
    if (released) return
    released = true
    if (--holders === 0) process.setUncaughtExceptionCaptureCallback(null)
  }
}
