/**
 * A run's `ctx.log` lines on their way to the job's stored log: the job's logger still writes every
 * line to stdout as before, and each line at `info` or above (and below, when `LOG_LEVEL` lets it
 * through) is also kept here, in memory, until the next checkpoint flush or the outcome writes the
 * buffer in one statement for every job that logged (src/queue/jobLogStore.ts). The buffer has the
 * same bounds as the stored log — the last 1,000 lines or 256 KiB — so a job that logs in a tight
 * loop costs bounded memory between flushes; each line is cut at 4 KiB of message and 4 KiB of
 * fields.
 */
import { format } from 'node:util';
import { MAX_JOB_LOG_BYTES, MAX_JOB_LOG_LINES } from '../queue/jobLogStore.js';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const KEPT_ALWAYS = new Set(['info', 'warn', 'error', 'fatal']);
const MAX_MESSAGE_BYTES = 4096;
const MAX_FIELDS_BYTES = 4096;
export class JobLogBuffer {
    jobId;
    lines = [];
    bytes = 0;
    constructor(jobId) {
        this.jobId = jobId;
    }
    get isEmpty() {
        return this.lines.length === 0;
    }
    /** The lines kept since the last call, oldest first; the buffer is empty afterwards. */
    take() {
        const lines = this.lines;
        this.lines = [];
        this.bytes = 0;
        return lines;
    }
    /** `logger`, with every line it writes also kept here (`child()` loggers too, with their bindings). */
    record(logger, bindings = {}) {
        return new Proxy(logger, {
            get: (target, property, receiver) => {
                if (typeof property === 'string' && LEVELS.includes(property)) {
                    const write = Reflect.get(target, property, receiver);
                    return (...args) => {
                        if (KEPT_ALWAYS.has(property) || target.isLevelEnabled(property))
                            this.keep(property, args, bindings);
                        return write.apply(target, args);
                    };
                }
                if (property === 'child') {
                    return (childBindings, options) => this.record(target.child(childBindings, options), { ...bindings, ...childBindings });
                }
                const value = Reflect.get(target, property, target);
                return typeof value === 'function' ? value.bind(target) : value;
            },
        });
    }
    /** pino's call shapes: `(fields, message?, ...values)`, `(error, message?)`, `(message, ...values)`. */
    keep(level, args, bindings) {
        let fields = { ...bindings };
        let rest = args;
        const [first] = args;
        if (first instanceof Error) {
            fields.err = { name: first.name, message: first.message };
            rest = args.length > 1 ? args.slice(1) : [first.message];
        }
        else if (first !== null && typeof first === 'object') {
            fields = { ...fields, ...first };
            if (fields.err instanceof Error)
                fields.err = { name: fields.err.name, message: fields.err.message };
            rest = args.slice(1);
        }
        const message = cut(rest.length === 0 ? '' : format(...rest), MAX_MESSAGE_BYTES);
        const fieldsJson = Object.keys(fields).length === 0 ? undefined : safeJson(fields);
        const keptFields = fieldsJson === undefined
            ? null
            : Buffer.byteLength(fieldsJson) > MAX_FIELDS_BYTES
                ? { truncated: true }
                : JSON.parse(fieldsJson);
        const bytes = Buffer.byteLength(message) + (keptFields === null ? 0 : Buffer.byteLength(JSON.stringify(keptFields)));
        this.lines.push({ jobId: this.jobId, at: new Date().toISOString(), level, message, fields: keptFields, bytes });
        this.bytes += bytes;
        while (this.lines.length > MAX_JOB_LOG_LINES || this.bytes > MAX_JOB_LOG_BYTES) {
            this.bytes -= this.lines.shift().bytes;
        }
    }
}
function cut(text, maxBytes) {
    if (Buffer.byteLength(text) <= maxBytes)
        return text;
    return `${Buffer.from(text)
        .subarray(0, maxBytes)
        .toString('utf8')
        .replace(/\uFFFD$/, '')}…`;
}
function safeJson(value) {
    try {
        return JSON.stringify(value);
    }
    catch {
        return JSON.stringify({ unserializable: true });
    }
}
//# sourceMappingURL=jobLogBuffer.js.map