/**
 * `describe` for a suite that cannot run here (no PostgreSQL, not the soak run): given a `skip`
 * reason, it registers one skipped test in the suite's place instead. node 20 prints a skipped suite
 * but counts it in no line of the summary ("skipped 0"); a skipped test is counted and printed with
 * its reason, so a run without PostgreSQL says how much it left out.
 *
 *   describeOrSkip('two runners sharing one PostgreSQL', { skip: skipWithoutPostgres(), timeout: 180_000 }, () => {…})
 */
import { type SuiteContext } from 'node:test';
export interface DescribeOrSkipOptions {
    /** Why the suite cannot run here, or false to run it. */
    skip: string | false;
    timeout?: number;
}
export declare function describeOrSkip(name: string, { skip, ...options }: DescribeOrSkipOptions, fn: (suite: SuiteContext) => void): void;
