import type { Logger } from 'pino';
import { type NewJobLogLine } from '../queue/jobLogStore.js';
export declare class JobLogBuffer {
    private readonly jobId;
    private lines;
    private bytes;
    constructor(jobId: string);
    get isEmpty(): boolean;
    /** The lines kept since the last call, oldest first; the buffer is empty afterwards. */
    take(): NewJobLogLine[];
    /** `logger`, with every line it writes also kept here (`child()` loggers too, with their bindings). */
    record(logger: Logger, bindings?: Record<string, unknown>): Logger;
    /** pino's call shapes: `(fields, message?, ...values)`, `(error, message?)`, `(message, ...values)`. */
    private keep;
}
