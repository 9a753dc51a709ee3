/**
 * The background task runner of the lease keeper, sweeper, flusher and pruner: a stop aborts the
 * signal of the run in progress and waits for it; a start after a stop gives runs a fresh signal.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Periodic } from '../../src/support/periodic.js'

describe('Periodic', () => {
  it('aborts the running task on stop, waits for it to end, and starts again with a signal not aborted', async () => {
    // Its timer does not keep the process alive (unref): this one does, for the test.
    const keepAlive = setInterval(() => {}, 1000)
    const signals: AbortSignal[] = []
    let running!: () => void
    let isRunning = new Promise<void>((resolve) => (running = resolve))
    let ended = false
    const periodic = new Periodic(
      'test',
      1,
      async (signal) => {
        signals.push(signal)
        running()
        if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
        ended = true
      },
      (error) => assert.fail(error),
    )
    periodic.start()
    await isRunning
    assert.equal(signals[0]!.aborted, false)
    await periodic.stop()
    assert.ok(ended, 'stop waited for the run to end')
    assert.equal(signals[0]!.aborted, true)

    ended = false
    isRunning = new Promise<void>((resolve) => (running = resolve))
    periodic.start()
    await isRunning
    assert.equal(signals[1]!.aborted, false, 'a new start, a new signal')
    await periodic.stop()
    assert.ok(ended)
    clearInterval(keepAlive)
  })
})
