/**
 * The backends LISTENing on the test's database, other than `admin`'s own: the tests that kill an
 * instance's LISTEN connection (to prove what happens when it comes back) find it here.
 */
import type postgres from 'postgres';
export declare function listeningBackends(admin: postgres.Sql): Promise<number[]>;
