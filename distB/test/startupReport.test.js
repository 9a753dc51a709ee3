/**
 * How a start-up failure is written: one sentence as text on a terminal, one JSON line (pino's
 * shape, with the variable to fix) otherwise; and which exit code each kind of failure gets.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../src/config.js';
import { DataDirLockedError } from '../src/db/embedded.js';
import { JobFileError } from '../jobs/registry.js';
import { StartAbortedError, StartupError } from '../src/startupError.js';
import { describeStartupFailure, reportStartupFailure } from '../src/startupReport.js';
function capture(isTTY) {
    let text = '';
    const stream = { isTTY, write: (chunk) => ((text += chunk), true) };
    return { stream, written: () => text };
}
describe('start-up failure reports', () => {
    it('are plain text on a terminal', () => {
        const { stream, written } = capture(true);
        reportStartupFailure(describeStartupFailure(new StartupError('PORT', 'PORT=3000 is in use')), 'start', stream);
        assert.equal(written(), 'job-runner cannot start: PORT=3000 is in use\n');
    });
    it('are one JSON line otherwise, naming the variable and the exit code', () => {
        const { stream, written } = capture(false);
        const failure = describeStartupFailure(new StartupError('DATABASE_URL', 'DATABASE_URL: no answer'));
        reportStartupFailure(failure, 'migrate', stream);
        const lines = written().split('\n').filter(Boolean);
        assert.equal(lines.length, 1);
        const record = JSON.parse(lines[0]);
        assert.equal(record.level, 60);
        assert.equal(record.msg, 'job-runner cannot migrate: DATABASE_URL: no answer');
        assert.equal(record.variable, 'DATABASE_URL');
        assert.equal(record.exitCode, 1);
    });
    it('keep the exit codes: 2 configuration, 1 failure, 0 a start-up stopped by a signal', () => {
        assert.equal(describeStartupFailure(new ConfigError('PORT', 'a port', 'x'))?.exitCode, 2);
        assert.equal(describeStartupFailure(new DataDirLockedError('/d/pglite.lock', 1))?.exitCode, 2);
        assert.equal(describeStartupFailure(new StartupError('DATA_DIR', 'no'))?.exitCode, 1);
        const jobFile = new JobFileError(['jobs/a.ts'], 'jobs/a.ts cannot be loaded');
        assert.deepEqual(describeStartupFailure(jobFile)?.files, ['jobs/a.ts']);
        assert.equal(describeStartupFailure(new StartAbortedError('SIGTERM'))?.exitCode, 0);
        const unforeseen = describeStartupFailure(new Error('unforeseen'));
        assert.equal(unforeseen, undefined, 'an unforeseen error keeps its stack in the log');
    });
});
//# sourceMappingURL=startupReport.test.js.map