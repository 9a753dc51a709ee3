/**
 * The skip an in-process test service holds (driverFaults.ts): the driver's write to a closed
 * connection, thrown where nothing catches it, is skipped while a holder runs, and the capture is
 * gone once the last holder releases it. (Every other exception goes on to node:test, which fails
 * the test running: the other suites would show it.)
 */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { driverTypeError, holdDriverFaultSkip, skippedDriverFaults } from './driverFaults.js'

it("skips the driver's write to a closed connection while a service holds the skip, until the last one releases it", async () => {
  const before = skippedDriverFaults().length
  const releaseFirst = holdDriverFaultSkip()
  const releaseSecond = holdDriverFaultSkip()
  const fault = driverTypeError(
    'Immediate.nextWrite (file:///srv/app/node_modules/postgres/src/connection.js:255:22)',
    'process.processImmediate (node:internal/timers:483:21)',
  )
  setImmediate(() => {
    throw fault
  })
  await nextTurn()
  await nextTurn()
  assert.equal(skippedDriverFaults().length, before + 1)
  assert.equal(skippedDriverFaults().at(-1), fault)

  releaseFirst()
  releaseFirst()
  assert.equal(process.hasUncaughtExceptionCaptureCallback(), true, 'the second holder still runs')
  releaseSecond()
  assert.equal(process.hasUncaughtExceptionCaptureCallback(), false)
})
