/**
 * One Server-Sent Events response on its own: a comment line every `heartbeatMs`, 15 s when not
 * given (counted on node's mock timers, so no test waits 15 s), and a client that leaves more than
 * `maxBufferedBytes` unread is dropped, its stream errored and `onEnd` told why. (Over real sockets:
 * test/routes/eventStreamSlowClient.test.ts and the heartbeat test of test/routes/events.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HEARTBEAT_MS, SseStream } from '../../src/events/sseStream.js';
const HEARTBEAT = ': heartbeat\n\n';
describe('SseStream', () => {
    it('sends a comment line every 15 s by default', async (t) => {
        t.mock.timers.enable({ apis: ['setInterval'] });
        const ends = [];
        const stream = new SseStream({ onEnd: (why) => ends.push(why) });
        assert.equal(DEFAULT_HEARTBEAT_MS, 15_000);
        t.mock.timers.tick(14_999);
        assert.equal(stream.bufferedBytes, 0, 'nothing before 15 s');
        t.mock.timers.tick(1);
        assert.equal(stream.bufferedBytes, HEARTBEAT.length);
        t.mock.timers.tick(15_000);
        const reader = stream.response.body.getReader();
        const { value } = await reader.read();
        assert.equal(new TextDecoder().decode(value), HEARTBEAT);
        stream.end();
        assert.deepEqual(ends, ['closed']);
        t.mock.timers.tick(60_000);
        assert.equal(stream.bufferedBytes, 0, 'no heartbeat after the end');
    });
    it('takes its interval as an option', (t) => {
        t.mock.timers.enable({ apis: ['setInterval'] });
        const stream = new SseStream({ heartbeatMs: 50, onEnd: () => { } });
        t.mock.timers.tick(150);
        assert.equal(stream.bufferedBytes, 3 * HEARTBEAT.length);
        stream.end();
    });
    it('drops a client that leaves more than maxBufferedBytes unread', async () => {
        const ends = [];
        const stream = new SseStream({ maxBufferedBytes: 4096, onEnd: (why) => ends.push(why) });
        let sent = 0;
        while (stream.isOpen && sent < 100) {
            stream.send({ event: 'log', id: String(sent), data: { message: 'x'.repeat(500) } });
            sent++;
        }
        assert.deepEqual(ends, ['too-slow']);
        assert.ok(sent < 10, `dropped after ${sent} events of about 550 bytes`);
        assert.equal(stream.bufferedBytes, 0);
        stream.send({ event: 'log', data: {} }); // ignored once ended
        await assert.rejects(stream.response.body.getReader().read(), /too slow/);
    });
});
//# sourceMappingURL=sseStream.test.js.map