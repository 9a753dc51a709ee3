/**
 * A webhook delivery survives a SIGKILL of the instance delivering it: the receiver (127.0.0.1,
 * listed in WEBHOOK_ALLOWED_HOSTS) holds the first request unanswered, the instance is killed
 * mid-send, and once the delivery's lease expires another instance (on PostgreSQL, one already
 * running; on the embedded database, a restart on the same data folder) sends it again with the
 * same `webhook-id` and signature scheme; it ends delivered, after two attempts, nothing lost.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { enqueueJob, processFixture } from '../support/process.js';
import { startWebhookReceiver } from '../support/webhookReceiver.js';
const CALLBACK_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const ENV = {
    LEASE_SECONDS: '2',
    SHUTDOWN_GRACE_SECONDS: '3',
    WEBHOOK_SECRET: CALLBACK_SECRET,
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
};
for (const target of databaseTargets()) {
    // The outbox lease is the same SQL on both; sigkill.test.ts covers the embedded database's restart.
    const once = { skip: onceSkip(target, "the outbox's lease") };
    describe(`process: a webhook delivery across a SIGKILL (${target.name})`, once, () => {
        const { spawn, createDatabase } = processFixture(target);
        // The first request is held until its sender dies; every later one is answered 200.
        const receiverStarted = startWebhookReceiver((_request, index) => (index === 0 ? 'hold' : 200));
        after(async () => (await receiverStarted).close());
        it('is sent again by another instance once the lease of the killed one expires, and ends delivered', async () => {
            const receiver = await receiverStarted;
            const database = await createDatabase();
            const first = await spawn(database, ENV);
            await enqueueJob(first, {
                type: 'echo',
                payload: { n: 1 },
                callback: { url: `${receiver.url}/hook` },
            });
            await receiver.waitForCount(1);
            const jobId = JSON.parse(receiver.received[0].body).data.id;
            let second;
            if (target.name === 'postgres') {
                second = await spawn(database, ENV);
                first.kill('SIGKILL');
                assert.equal((await first.exited).signal, 'SIGKILL');
            }
            else {
                first.kill('SIGKILL');
                assert.equal((await first.exited).signal, 'SIGKILL');
                second = await spawn(database, ENV);
            }
            await receiver.waitForCount(2, 30_000);
            const [held, resent] = receiver.received;
            assert.equal(held.headers['webhook-id'], resent.headers['webhook-id']);
            const payload = new Webhook(CALLBACK_SECRET).verify(resent.body, resent.headers);
            assert.equal(payload.type, 'job.succeeded');
            let deliveries = [];
            for (let i = 0; i < 50; i += 1) {
                const response = await second.request(`/v1/jobs/${jobId}/deliveries`);
                deliveries = (await response.json()).deliveries;
                if (deliveries[0]?.state === 'delivered')
                    break;
                await second.waitForLog((r) => r.msg === 'webhook delivery', { timeoutMs: 5000 }).catch(() => { });
            }
            assert.equal(deliveries.length, 1);
            assert.equal(deliveries[0]?.state, 'delivered');
            assert.equal(deliveries[0]?.attempts, 2);
            assert.equal(receiver.received.length, 2);
            second.kill('SIGTERM');
            assert.equal((await second.exited).code, 0);
        });
    });
}
//# sourceMappingURL=webhooks.test.js.map