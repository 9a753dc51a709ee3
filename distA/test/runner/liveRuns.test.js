/**
 * The registry of runs whose code still executes (src/runner/liveRuns.ts): which runs hold a slot,
 * which job has a live run, how many runs live, and what giving up a slot and ending a run do to them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LiveRuns } from '../../src/runner/liveRuns.js';
/** LiveRuns reads only `job.id` of a run. */
function run(id) {
    return { job: { id } };
}
describe('live runs', () => {
    it('starts empty', () => {
        const runs = new LiveRuns();
        assert.equal(runs.slotsTaken, 0);
        assert.equal(runs.size, 0);
        assert.equal(runs.has('1'), false);
    });
    it('counts a slot for each run added, and knows its job', () => {
        const runs = new LiveRuns();
        runs.add(run('1'));
        runs.add(run('2'));
        assert.equal(runs.slotsTaken, 2);
        assert.ok(runs.has('1') && runs.has('2'));
        assert.equal(runs.has('3'), false);
    });
    it('frees the slot of a run that gives it up, while the run stays live', () => {
        const runs = new LiveRuns();
        const abandoned = run('1');
        runs.add(abandoned);
        runs.add(run('2'));
        runs.releaseSlot(abandoned);
        assert.equal(runs.slotsTaken, 1);
        assert.equal(runs.has('1'), true, 'its code still runs: the job must not start again here');
        runs.releaseSlot(abandoned);
        assert.equal(runs.slotsTaken, 1, 'a slot is given up once');
        assert.equal(runs.size, 2, 'both runs are live');
    });
    it('ends a run: its job is free to start again, and its slot is freed unless it was given up before', () => {
        const runs = new LiveRuns();
        const holding = run('1');
        const released = run('2');
        runs.add(holding);
        runs.add(released);
        runs.releaseSlot(released);
        assert.equal(runs.slotsTaken, 1);
        runs.end(released);
        assert.equal(runs.slotsTaken, 1, 'the slot it gave up is not freed twice');
        assert.equal(runs.has('2'), false);
        runs.end(holding);
        assert.equal(runs.slotsTaken, 0);
        assert.equal(runs.has('1'), false);
        runs.end(holding);
        assert.equal(runs.slotsTaken, 0, 'ending twice frees nothing more');
        assert.equal(runs.size, 0);
    });
    it('ignores another run of the same job that it does not hold', () => {
        const runs = new LiveRuns();
        const live = run('1');
        runs.add(live);
        const stranger = run('1');
        runs.releaseSlot(stranger);
        runs.end(stranger);
        assert.equal(runs.slotsTaken, 1);
        assert.equal(runs.has('1'), true, 'only the run it holds ends it');
        runs.end(live);
        assert.equal(runs.has('1'), false);
    });
    it('ignores runs it never held', () => {
        const runs = new LiveRuns();
        runs.releaseSlot(run('9'));
        runs.end(run('9'));
        assert.equal(runs.slotsTaken, 0);
    });
});
//# sourceMappingURL=liveRuns.test.js.map