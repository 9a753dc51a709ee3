/**
 * Carries live progress between instances where the database carries notifications
 * (`supportsListen`): a job's throttled reports go out as NOTIFYs on their own channel while
 * another instance watches the job (a `?wait` long-poll or an event stream there:
 * src/queue/watchRegistry.ts), and the other instances' boards take them in, so a watcher held by
 * any instance answers within a fraction of a second of the report. A NOTIFY costs a commit on
 * every listening instance: a job nobody watches elsewhere keeps its reports here (and its table
 * row gets them at each checkpoint flush); when a watch arrives, its latest report is sent then
 * (`Signals`). Reports published during one turn of the event loop go
 * out as one statement, packed into as few notifications as fit PostgreSQL's payload limit; an
 * instance ignores its own. When a job settles, its instance says so too, and the others drop its
 * entry. Like every notification here this is a hint: a lost one delays the
 * news until the next checkpoint flush writes the progress to the table.
 */
import { randomUUID } from 'node:crypto';
import { channelName } from '../db/channelName.js';
import { JOB_PROGRESS_CHANNEL } from '../queue/store.js';
import { Batcher } from '../support/batcher.js';
/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7000;
/** A progress message longer than this is cut: a report is a line for a person, not a document. */
export const MAX_RELAYED_MESSAGE_LENGTH = 200;
export class ProgressRelay {
    deps;
    origin = randomUUID();
    batches;
    started;
    unlisten;
    stopped = false;
    /** Jobs whose reports went out: only their settling is told. */
    relayed = new Set();
    constructor(deps) {
        this.deps = deps;
        this.batches = new Batcher((items) => deps.store.notifyProgress({ payloads: this.pack(items) }), {
            onError: deps.onError,
        });
    }
    /** True when reports can reach other instances at all. */
    get enabled() {
        return this.deps.db.capabilities.supportsListen;
    }
    /** Listens for other instances' reports; safe to call twice. */
    start() {
        return (this.started ??= this.listen());
    }
    async stop() {
        this.stopped = true;
        await this.started?.catch(() => { });
        await this.unlisten?.().catch(() => { });
        this.unlisten = undefined;
    }
    /** Sends a report of a job running here to the other instances that watch it (no-op without notifications). */
    publish(id, { fraction, message }) {
        if (!this.enabled || this.stopped || !this.deps.watches.isWatchedElsewhere(id))
            return;
        this.relayed.add(id);
        const text = message?.slice(0, MAX_RELAYED_MESSAGE_LENGTH);
        this.batches.send({ report: text === undefined ? [id, fraction] : [id, fraction, text] });
    }
    /** Tells the other instances that a job that ran here settled, so that they drop its entry. */
    publishSettled(id) {
        if (!this.enabled || this.stopped || !this.relayed.delete(id))
            return;
        this.batches.send({ settled: id });
    }
    async listen() {
        if (!this.enabled)
            return;
        const { unlisten } = await this.deps.db.session.listen(channelName(this.deps.db.schema, JOB_PROGRESS_CHANNEL), (payload) => this.receive(payload));
        this.unlisten = unlisten;
    }
    receive(payload) {
        let parsed;
        try {
            parsed = JSON.parse(payload);
        }
        catch {
            return;
        }
        const { o, r, s } = (parsed ?? {});
        if (o === this.origin)
            return;
        for (const report of Array.isArray(r) ? r : []) {
            const progress = readReport(report);
            if (progress)
                this.deps.onRemote(progress.id, progress.progress);
        }
        for (const id of Array.isArray(s) ? s : [])
            if (isJobId(id))
                this.deps.onRemoteSettled(id);
    }
    /**
     * The latest report of each job, and the settled jobs, packed into payloads under the limit: a
     * job that settled within the batch sends no report.
     */
    pack(items) {
        const latest = new Map();
        const settled = new Set();
        for (const item of items) {
            if ('settled' in item) {
                settled.add(item.settled);
                latest.delete(item.settled);
            }
            else {
                latest.set(item.report[0], item.report);
                settled.delete(item.report[0]);
            }
        }
        const payloads = [];
        const payload = (key, entries) => {
            const head = `{"o":${JSON.stringify(this.origin)},"${key}":[`;
            let body = '';
            for (const entry of entries) {
                const text = JSON.stringify(entry);
                if (body !== '' && Buffer.byteLength(head + body + text) + 3 > MAX_PAYLOAD_BYTES) {
                    payloads.push(`${head}${body}]}`);
                    body = '';
                }
                body = body === '' ? text : `${body},${text}`;
            }
            if (body !== '')
                payloads.push(`${head}${body}]}`);
        };
        payload('r', latest.values());
        payload('s', settled);
        return payloads;
    }
}
const isJobId = (id) => typeof id === 'string' && /^[1-9][0-9]{0,17}$/.test(id);
/** A report as another instance sent it, checked: anyone with a connection may NOTIFY. */
function readReport(report) {
    if (!Array.isArray(report))
        return undefined;
    const [id, fraction, message] = report;
    if (!isJobId(id))
        return undefined;
    if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1))
        return undefined;
    if (message === undefined)
        return { id, progress: { fraction } };
    if (typeof message !== 'string')
        return undefined;
    return { id, progress: { fraction, message: message.slice(0, MAX_RELAYED_MESSAGE_LENGTH) } };
}
//# sourceMappingURL=progressRelay.js.map