/**
 * The one logger: pino JSON lines on stdout. Children add context (`jobId`, `requestId`) so every
 * line can be traced to what caused it. Secrets never reach it: the Authorization header and token
 * fields are redacted in case a caller passes them along by mistake.
 */
import { createRequire } from 'node:module';
import { pino } from 'pino';
/**
 * `pretty` (by default: when no destination is given and stdout is a terminal) renders colored,
 * human lines with pino-pretty in-process; anything else (a pipe, a file, a log shipper) gets JSON.
 */
export function createLogger({ level = 'info', destination, pretty = destination === undefined && process.stdout.isTTY === true, } = {}) {
    if (pretty) {
        // Loaded only for a terminal: a service under a process manager never renders lines, and the
        // package's load was a few hundredths of a CPU-second of each start (CommonJS, so required in
        // step with the synchronous call).
        const pinoPretty = createRequire(import.meta.url)('pino-pretty');
        destination = pinoPretty({
            colorize: destination === undefined,
            sync: true,
            translateTime: 'SYS:HH:MM:ss.l',
            ignore: 'pid,hostname',
            ...(destination === undefined ? {} : { destination }),
        });
    }
    return pino({
        level,
        base: { pid: process.pid },
        redact: {
            paths: [
                'authorization',
                'token',
                'headers.authorization',
                'req.headers.authorization',
                '*.token',
                'secret',
                '*.secret',
            ],
            censor: '[redacted]',
        },
    }, destination);
}
/** Turns anything thrown into an Error, so nothing downstream has to handle `unknown`. */
export function coerceError(thrown) {
    if (thrown instanceof Error)
        return thrown;
    if (typeof thrown === 'string')
        return new Error(thrown);
    try {
        return new Error(JSON.stringify(thrown));
    }
    catch {
        return new Error(String(thrown));
    }
}
//# sourceMappingURL=log.js.map