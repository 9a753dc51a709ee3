/**
 * A stream of many jobs (`GET /v1/events`) under a burst: the hub hands over up to 500 jobs at a
 * time, more than the stream's bound in the state events of ordinary jobs. A client that reads is
 * not dropped for it: what does not fit waits, newest read of each job only, and goes out in version
 * order as the client reads. A client that stops reading is still dropped once what waits passes
 * four times the bound. (Over a real socket: test/routes/eventStreamSlowClient.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobStream } from '../../src/events/jobStream.js';
import { jobRow } from '../support/jobRow.js';
const BOUND = 8192;
const hub = { add: () => { }, remove: () => { } };
/** Job `n` in `state` at row version `version` (20 digits, as the store writes them): about 700 bytes of JSON. */
function versioned(n, state, version) {
    return {
        job: jobRow({ id: String(n), state, payload: { text: 'x'.repeat(100) } }),
        version: String(version).padStart(20, '0'),
    };
}
/** The `state` events of an SSE text, in order: job id, state, and the version part of the event id. */
function stateEvents(text) {
    return text
        .split('\n\n')
        .filter((block) => block.startsWith('event: state\n'))
        .map((block) => {
        const version = /^id: ([0-9]{20})\./m.exec(block)[1];
        const data = JSON.parse(/^data: (.*)$/m.exec(block)[1]);
        return { id: data.id, state: data.state, version };
    });
}
describe('JobStream of many jobs', () => {
    it('keeps a reading client through a burst past its bound, sending each job’s newest state in version order', async () => {
        const ends = [];
        const stream = new JobStream({ hub, wants: () => true, maxBufferedBytes: BOUND, onEnd: () => ends.push('ended') });
        const jobs = 12;
        // Each job starts, then finishes: 24 state changes, about 17 KiB of events (twice the bound), at once.
        for (let n = 1; n <= jobs; n++)
            stream.deliver(versioned(n, 'running', n));
        for (let n = 1; n <= jobs; n++)
            stream.deliver(versioned(n, 'succeeded', jobs + n));
        assert.deepEqual(ends, [], 'not dropped by the burst');
        const reader = stream.response.body.getReader();
        const decoder = new TextDecoder();
        let text = '';
        const finished = () => stateEvents(text).filter((e) => e.state === 'succeeded').length;
        while (finished() < jobs) {
            const { value, done } = await reader.read();
            assert.equal(done, false, 'the stream stays open');
            text += decoder.decode(value, { stream: true });
        }
        stream.end(1000);
        const events = stateEvents(text);
        for (let n = 1; n <= jobs; n++) {
            const states = events.filter((e) => e.id === String(n)).map((e) => e.state);
            assert.equal(states.at(-1), 'succeeded', `job ${n} ends in its newest state`);
            assert.ok(states.length <= 2);
        }
        assert.ok(events.length < 2 * jobs, `the jobs held back were sent once, in their newest state (${events.length})`);
        const versions = events.map((e) => e.version);
        assert.deepEqual(versions, [...versions].sort(), 'nothing newer went before a job held back');
        assert.deepEqual(ends, ['ended']);
    });
    it('drops a client that stops reading once what waits for it passes four times the bound', () => {
        const ends = [];
        const stream = new JobStream({ hub, wants: () => true, maxBufferedBytes: BOUND, onEnd: () => ends.push('ended') });
        let delivered = 0;
        while (ends.length === 0 && delivered < 200)
            stream.deliver(versioned(++delivered, 'running', delivered));
        assert.deepEqual(ends, ['ended']);
        assert.ok(delivered > (4 * BOUND) / 750 && delivered < 60, `dropped after ${delivered} jobs of about 700 bytes`);
    });
});
//# sourceMappingURL=jobStream.test.js.map