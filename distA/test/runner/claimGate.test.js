/**
 * The gate in front of each of the runner's claims (src/runner/claimGate.ts): closed once its claim
 * came back short, opened by a notice (also one that arrives while the claim runs), left open by a
 * claim that may find more or that failed, and run anyway once a poll interval has passed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClaimGate } from '../../src/runner/claimGate.js';
const A_MINUTE = 60_000;
const short = (found) => found.length === 2;
describe('ClaimGate', () => {
    it('runs while open, skips once its claim came back short, and runs again once opened', async () => {
        const gate = new ClaimGate(A_MINUTE);
        let runs = 0;
        const claim = async () => (runs++, [1]);
        assert.deepEqual(await gate.run(claim, short, []), [1]);
        assert.equal(gate.isOpen, false);
        assert.deepEqual(await gate.run(claim, short, []), [], 'skipped');
        assert.equal(runs, 1);
        gate.open();
        assert.deepEqual(await gate.run(claim, short, []), [1]);
        assert.equal(runs, 2);
    });
    it('stays open after a claim that may find more', async () => {
        const gate = new ClaimGate(A_MINUTE);
        await gate.run(async () => [1, 2], short, []);
        assert.equal(gate.isOpen, true);
    });
    it('is opened by a notice that arrives while its claim runs', async () => {
        const gate = new ClaimGate(A_MINUTE);
        await gate.run(async () => {
            gate.open();
            return [1];
        }, short, []);
        assert.equal(gate.isOpen, true);
    });
    it('stays open after a failed claim, whose error it throws', async () => {
        const gate = new ClaimGate(A_MINUTE);
        await assert.rejects(gate.run(async () => {
            throw new Error('connection lost');
        }, short, []), /connection lost/);
        assert.equal(gate.isOpen, true);
    });
    it('runs a closed claim once a poll interval has passed since it last ran', async () => {
        const gate = new ClaimGate(0);
        let runs = 0;
        await gate.run(async () => (runs++, [1]), short, []);
        assert.equal(gate.isOpen, false);
        await gate.run(async () => (runs++, [1]), short, []);
        assert.equal(runs, 2);
    });
});
//# sourceMappingURL=claimGate.test.js.map