/**
 * `describe` for a suite that cannot run here (no PostgreSQL, not the soak run): given a `skip`
 * reason, it registers one skipped test in the suite's place instead. node 20 prints a skipped suite
 * but counts it in no line of the summary ("skipped 0"); a skipped test is counted and printed with
 * its reason, so a run without PostgreSQL says how much it left out.
 *
 *   describeOrSkip('two runners sharing one PostgreSQL', { skip: skipWithoutPostgres(), timeout: 180_000 }, () => {…})
 */
import { describe, it } from 'node:test';
export function describeOrSkip(name, { skip, ...options }, fn) {
    if (skip === false)
        describe(name, options, fn);
    else
        it(name, { skip });
}
//# sourceMappingURL=describeOrSkip.js.map