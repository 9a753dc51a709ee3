/**
 * `HttpProblem` (src/http/problem.ts): a client error (4xx) is made without a stack trace, which a
 * flood of bad requests would pay for on every answer and nobody reads; a server error (5xx) keeps
 * its stack for the log; and the process's own stack traces are left as they were.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpProblem, problemResponse } from '../../src/http/problem.js';
const frames = (error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
describe('HttpProblem', () => {
    it('captures no stack for a client error, and keeps one for a server error', async () => {
        const before = Error.stackTraceLimit;
        const notFound = new HttpProblem('not-found', 'no job 7');
        assert.deepEqual(frames(notFound), []);
        assert.equal(notFound.message, 'no job 7');
        assert.equal(notFound.status, 404);
        assert.ok(frames(new HttpProblem('internal')).length > 0, 'a 5xx has its stack');
        assert.equal(Error.stackTraceLimit, before, 'the limit is restored');
        assert.ok(frames(new Error('elsewhere')).length > 0, 'other errors keep theirs');
        const response = problemResponse(notFound);
        assert.equal(response.status, 404);
        assert.deepEqual(await response.json(), {
            type: 'urn:job-runner:problem:not-found',
            title: 'Not found',
            status: 404,
            detail: 'no job 7',
        });
    });
});
//# sourceMappingURL=problem.test.js.map