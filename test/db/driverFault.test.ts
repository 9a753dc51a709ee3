/**
 * The driver fault the uncaught-exception handler skips (src/db/driverFault.ts): the TypeError
 * postgres.js throws from `nextWrite` on a connection it has closed, as CI logged it, in the ESM and
 * CommonJS builds; and not the same TypeError thrown anywhere else (a job's code writing to null),
 * which still counts as a crash of the jobs it is blamed on.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isDriverWriteAfterClose } from '../../src/db/driverFault.js'
import { driverTypeError as thrownAt } from '../support/driverFaults.js'

const MESSAGE = "Cannot read properties of null (reading 'write')"

describe('isDriverWriteAfterClose', () => {
  it("recognizes postgres.js's write to a closed connection, as thrown from its setImmediate", () => {
    const logged = thrownAt(
      'Immediate.nextWrite (file:///tmp/ci/node_modules/postgres/src/connection.js:255:22)',
      'process.processImmediate (node:internal/timers:483:21)',
    )
    assert.equal(isDriverWriteAfterClose(logged), true)
    const commonJs = thrownAt(
      'nextWrite (/srv/app/node_modules/postgres/cjs/src/connection.js:255:22)',
      'process.processImmediate (node:internal/timers:483:21)',
    )
    assert.equal(isDriverWriteAfterClose(commonJs), true)
  })

  it('leaves every other error to the crash handling: a job writing to null, another message, another frame', () => {
    let jobs: TypeError | undefined
    try {
      const socket = null as unknown as { write: () => void }
      socket.write()
    } catch (error) {
      jobs = error as TypeError
    }
    assert.equal(jobs?.message, MESSAGE, 'the same message, thrown by code that is not the driver')
    assert.equal(isDriverWriteAfterClose(jobs), false)
    assert.equal(
      isDriverWriteAfterClose(thrownAt('nextWrite (file:///app/jobs/upload.js:3:9)')),
      false,
      'a function of the same name in a job file',
    )
    assert.equal(
      isDriverWriteAfterClose(
        thrownAt(
          'Object.write (file:///app/jobs/upload.js:3:9)',
          'Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)',
        ),
      ),
      false,
      'the driver is not the frame that threw',
    )
    const other = new TypeError("Cannot read properties of null (reading 'end')")
    other.stack = `TypeError: ${other.message}\n    at nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)`
    assert.equal(isDriverWriteAfterClose(other), false)
    assert.equal(isDriverWriteAfterClose(new Error(MESSAGE)), false, 'not a TypeError')
    assert.equal(isDriverWriteAfterClose('a string'), false)
  })
})
