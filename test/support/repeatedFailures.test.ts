/**
 * The runner's guard against a log flood in an outage: the first failure of a kind is logged, the
 * same kind within the window only counted, and the first after it logged with that count; kinds
 * apart, and a bounded number of them remembered.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RepeatedFailures } from '../../src/support/repeatedFailures.js'
import { captureLogs } from './logs.js'

describe('RepeatedFailures', () => {
  it('logs a kind once a window, then says how many it held back', () => {
    let now = 0
    const failures = new RepeatedFailures(60_000, () => now)
    assert.deepEqual(failures.admit('claim\nECONNREFUSED'), { log: true, heldBack: 0 })
    for (const at of [1, 10_000, 59_999]) {
      now = at
      assert.deepEqual(failures.admit('claim\nECONNREFUSED'), { log: false, heldBack: 0 })
    }
    now = 60_000
    assert.deepEqual(failures.admit('claim\nECONNREFUSED'), { log: true, heldBack: 3 })
    now = 60_001
    assert.deepEqual(failures.admit('claim\nECONNREFUSED'), { log: false, heldBack: 0 })
    now = 200_000
    assert.deepEqual(failures.admit('claim\nECONNREFUSED'), { log: true, heldBack: 1 })
  })

  it('keeps kinds apart: another place or another message is logged at once', () => {
    const now = 0
    const failures = new RepeatedFailures(60_000, () => now)
    assert.equal(failures.admit('claim\nECONNREFUSED').log, true)
    assert.equal(failures.admit('outcome write\nECONNREFUSED').log, true)
    assert.equal(failures.admit('claim\nread ECONNRESET').log, true)
    assert.equal(failures.admit('claim\nECONNREFUSED').log, false)
  })

  it('remembers at most 100 kinds, forgetting the one logged longest ago', () => {
    const now = 0
    const failures = new RepeatedFailures(60_000, () => now)
    for (let i = 0; i < 101; i++) assert.equal(failures.admit(`kind ${i}`).log, true)
    assert.equal(failures.admit('kind 0').log, true, 'forgotten: logged again')
    assert.equal(failures.admit('kind 100').log, false, 'still remembered')
  })

  it('logs through pino: the first line plain, the next after the window with heldBack', () => {
    const { log, records } = captureLogs('info')
    let now = 0
    const failures = new RepeatedFailures(1000, () => now)
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432')
    for (now = 0; now < 1000; now += 100)
      failures.log(log, 'error', 'runner error during claim', refused, { during: 'claim' })
    failures.log(log, 'error', 'runner error during claim', refused, { during: 'claim' })
    assert.deepEqual(
      records().map((line) => [
        line.level,
        line.msg,
        line.during,
        (line.err as { message: string }).message,
        line.heldBack,
      ]),
      [
        [50, 'runner error during claim', 'claim', refused.message, undefined],
        [50, 'runner error during claim (9 more like it since the last one logged)', 'claim', refused.message, 9],
      ],
    )
  })
})
