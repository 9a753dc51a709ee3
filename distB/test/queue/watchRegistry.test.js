/**
 * The watch registry on its own, instances joined by an in-memory channel that delivers every
 * payload to every registry, as NOTIFY does (the sender's own included): a watch made on one
 * instance is heard on the others, once per TTL however often its watchers come and go, renewed
 * while watchers remain and forgotten when it expires (node's mock clock, so no test waits two
 * minutes); a stream of many jobs watches them all until its last one closes; an instance that
 * starts later asks and is told; what cannot be trusted is ignored. And the window of recent ids
 * that closes the race between a watch and a change crossing on the wire.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RecentIds } from '../../src/queue/recentIds.js';
import { WatchRegistry } from '../../src/queue/watchRegistry.js';
/** Registries that hear each other, and every payload sent. */
function cluster(config = {}) {
    const members = [];
    const sent = [];
    const join = () => {
        const registry = new WatchRegistry(config, {
            send: (payloads) => {
                sent.push(...payloads);
                for (const payload of payloads)
                    for (const member of members)
                        member.receive(payload);
            },
        });
        members.push(registry);
        return registry;
    };
    return { join, sent };
}
/** The end of this turn of the event loop, when queued watches are sent. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));
describe('WatchRegistry', () => {
    it('tells the other instances which jobs are watched here, and not itself', async () => {
        const { join, sent } = cluster();
        const [a, b] = [join(), join()];
        const heard = [];
        a.onRemoteWatch((watch) => heard.push(watch));
        const unwatch = b.watch('7');
        b.watch('8');
        await flushed();
        assert.equal(sent.length, 1, 'the watches of one turn travel together');
        assert.deepEqual(heard, [{ ids: ['7', '8'] }]);
        assert.ok(a.isWatchedElsewhere('7') && a.isWatchedElsewhere('8'));
        assert.ok(!a.isWatchedElsewhere('9'), 'a job nobody watches');
        assert.ok(!b.isWatchedElsewhere('7'), 'its own watch is not elsewhere');
        unwatch();
        assert.ok(a.isWatchedElsewhere('7'), 'a watch lasts its TTL, whatever its watchers do');
    });
    it('announces a job once per half TTL however often its watchers come and go, and renews it while they remain', async (t) => {
        t.mock.timers.enable({ apis: ['Date', 'setInterval'], now: 1_000_000 });
        const { join, sent } = cluster({ ttlMs: 60_000, renewEveryMs: 5_000 });
        const [a, b] = [join(), join()];
        a.start();
        b.start();
        const asks = sent.length;
        for (let i = 0; i < 10; i++)
            b.watch('7')();
        await flushed();
        assert.equal(sent.length - asks, 1, 'ten long-polls in a row: one announcement');
        const held = b.watch('7');
        t.mock.timers.tick(25_000);
        assert.equal(sent.length - asks, 1, 'younger than half a TTL: not renewed yet');
        t.mock.timers.tick(10_000);
        await flushed();
        assert.equal(sent.length - asks, 2, 'renewed past half its TTL while watched');
        t.mock.timers.tick(50_000);
        await flushed();
        assert.ok(a.isWatchedElsewhere('7'), 'the renewal keeps it watched past the first TTL');
        held();
        t.mock.timers.tick(61_000);
        await flushed();
        assert.ok(!a.isWatchedElsewhere('7'), 'without watchers, no renewal: it expires');
        a.stop();
        b.stop();
    });
    it('watches every job while a stream of many jobs is open, and withdraws it when the last one closes', async () => {
        const { join } = cluster();
        const [a, b] = [join(), join()];
        const heard = [];
        a.onRemoteWatch((watch) => heard.push(watch));
        const first = b.watchAll();
        const second = b.watchAll();
        await flushed();
        assert.deepEqual(heard, ['all']);
        assert.ok(a.isWatchedElsewhere('123456'));
        first();
        assert.ok(a.isWatchedElsewhere('123456'), 'one stream of many jobs is still open');
        second();
        assert.ok(!a.isWatchedElsewhere('123456'), 'withdrawn with the last one');
    });
    it('answers an instance that starts later with what it watches', async () => {
        const { join } = cluster();
        const b = join();
        b.watch('42');
        b.watchAll();
        await flushed();
        const a = join();
        assert.ok(!a.isWatchedElsewhere('42'), 'it was not there to hear it');
        a.start();
        await flushed();
        assert.ok(a.isWatchedElsewhere('42'), 'asked, and told');
        assert.ok(a.isWatchedElsewhere('1'), 'the stream of many jobs too');
        a.stop();
    });
    it('says again what it watches after its connection came back', async () => {
        const { join, sent } = cluster();
        const [a, b] = [join(), join()];
        b.watch('5');
        await flushed();
        const before = sent.length;
        a.resync();
        await flushed();
        const after = sent.slice(before).map((payload) => JSON.parse(payload));
        assert.deepEqual(after.map((m) => (m.a ? 'ask' : m.w)), ['ask', ['5']], 'the instance that reconnected asks, the other answers');
    });
    it('ignores payloads it cannot trust, and counts every job as watched past the most it remembers', async () => {
        const { join } = cluster({ maxRemote: 3 });
        const a = join();
        for (const payload of ['nonsense', '{"w":["1"]}', '{"o":"x","w":["0","-1","a","1e3",7]}', 'null'])
            a.receive(payload);
        assert.ok(!a.isWatchedElsewhere('1'));
        a.receive(JSON.stringify({ o: 'x', w: ['1', '2', '3', '4'] }));
        assert.ok(a.isWatchedElsewhere('99'), 'over the limit: every job counts as watched (more notices, never fewer)');
    });
    it('is silent where nothing crosses processes', async () => {
        const sent = [];
        const registry = new WatchRegistry({ enabled: false }, { send: (payloads) => sent.push(...payloads) });
        registry.start();
        registry.watch('1');
        registry.watchAll()();
        registry.receive(JSON.stringify({ o: 'x', w: ['1'] }));
        await flushed();
        assert.deepEqual(sent, []);
        assert.ok(!registry.isWatchedElsewhere('1'));
        registry.stop();
    });
});
describe('RecentIds', () => {
    it('remembers ids for about a window, and fewer under load rather than more', (t) => {
        t.mock.timers.enable({ apis: ['Date'], now: 0 });
        const recent = new RecentIds({ windowMs: 1000, maxSize: 3 });
        recent.add('1');
        t.mock.timers.tick(600);
        recent.add('2');
        assert.ok(recent.has('1') && recent.has('2'));
        t.mock.timers.tick(600);
        assert.ok(recent.has('1'), 'the older generation is kept for one more window');
        t.mock.timers.tick(2000);
        assert.deepEqual(recent.all(), [], 'two windows later, nothing');
        for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
            recent.add(id);
        assert.ok(recent.all().length <= 6, 'at most two generations of maxSize');
        assert.ok(recent.has('g') && !recent.has('a'));
    });
    it('answers for a list of ids in their order, duplicates and unknown ones as filter would', (t) => {
        t.mock.timers.enable({ apis: ['Date'], now: 0 });
        const recent = new RecentIds({ windowMs: 1000, maxSize: 100 });
        for (const id of ['1', '2', '3', '2'])
            recent.add(id);
        t.mock.timers.tick(1200);
        recent.add('4');
        assert.deepEqual(recent.recent(['4', 'x', '2', '1', '2']), ['4', '2', '1', '2']);
        t.mock.timers.tick(900);
        assert.deepEqual(recent.recent(['1', '4']), ['1', '4'], 'the older generation is kept for one more window');
        t.mock.timers.tick(100);
        assert.deepEqual(recent.recent(['1', '4']), []);
    });
    it('keeps an id added after a long pause, though add read no clock for it', (t) => {
        t.mock.timers.enable({ apis: ['Date'], now: 0 });
        const recent = new RecentIds({ windowMs: 1000, maxSize: 1000 });
        for (let i = 0; i < 100; i++)
            recent.add(`old${i}`);
        t.mock.timers.tick(10_000);
        recent.add('fresh');
        assert.ok(recent.has('fresh'));
        assert.ok(!recent.has('old0'), 'the ids before the last reading of the clock are dropped');
        t.mock.timers.tick(1500);
        assert.ok(recent.has('fresh'), 'and the fresh one stays for about a window');
        t.mock.timers.tick(1000);
        assert.deepEqual(recent.all(), []);
    });
    it('rotates on a drain without a question asked, by the clock every so many adds', (t) => {
        t.mock.timers.enable({ apis: ['Date'], now: 0 });
        const recent = new RecentIds({ windowMs: 1000, maxSize: 100_000 });
        for (let i = 0; i < 1000; i++)
            recent.add(`a${i}`);
        t.mock.timers.tick(1000);
        for (let i = 0; i < 1000; i++)
            recent.add(`b${i}`);
        t.mock.timers.tick(1000);
        for (let i = 0; i < 1000; i++)
            recent.add(`c${i}`);
        const all = recent.all();
        assert.ok(!all.includes('a999'), 'two windows old');
        assert.ok(all.includes('b999') && all.includes('c0') && all.includes('c999'));
    });
});
//# sourceMappingURL=watchRegistry.test.js.map