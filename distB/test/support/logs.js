/** A logger whose lines a test can read back (to assert on what was, or was never, logged). */
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.js';
export function captureLogs(level = 'debug') {
    const lines = [];
    const destination = new Writable({
        write(chunk, _encoding, done) {
            for (const line of chunk.toString('utf8').split('\n'))
                if (line)
                    lines.push(line);
            done();
        },
    });
    const log = createLogger({ level, destination });
    return { log, lines, records: () => lines.map((line) => JSON.parse(line)) };
}
//# sourceMappingURL=logs.js.map