export const DATABASE_POOLING_MODES = ['none', 'session', 'transaction'];
export function isDatabasePooling(value) {
    return DATABASE_POOLING_MODES.includes(value);
}
/** The options of a pool on `DATABASE_URL` that differ with `pooling`. */
export function poolingOptions(pooling, schema) {
    if (pooling === 'transaction')
        return { prepare: false, connection: {} };
    // Startup parameters, so every connection of the pool (and every reconnect) has them. The names
    // the store writes are qualified anyway; search_path serves unqualified SQL of tests and operators.
    return { prepare: true, connection: { search_path: schema, ...SESSION_SETTINGS } };
}
/**
 * Settings every session of the service's runs with, where a session is ours to set (not through a
 * transaction pooler, which refuses startup parameters it does not track: there the role's setting
 * applies, and start-up warns when it is the costly one, `jitWarning`).
 *
 * `jit = off`: PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost` (100,000)
 * each time it runs, and optimizes and inlines the code past 500,000. The claim's cost estimate grows
 * with the queue (a limit computed in the statement is taken as a tenth of the rows), so with a
 * million jobs queued each claim spent about 500 ms compiling and 4 ms running (EXPLAIN ANALYZE on
 * PostgreSQL 15, bench/RESULTS.md P8features), and the drain fell to a few dozen jobs a second. Every
 * statement of the service is a short, indexed one: compiling never pays back.
 */
const SESSION_SETTINGS = { jit: 'off' };
/**
 * What start-up logs when a session it cannot set (transaction pooling) runs with JIT on, or
 * undefined: the setting is the role's or the database's there, so the sentence says which to change.
 */
export async function jitWarning(sql, pooling) {
    if (pooling !== 'transaction')
        return undefined;
    const [row] = await sql `select current_setting('jit') as jit`;
    if (row?.jit !== 'on')
        return undefined;
    return ('jit is on for the connections DATABASE_POOLING=transaction lends: with a deep queue each claim ' +
        "compiles for hundreds of milliseconds; turn it off for the service's role (ALTER ROLE <role> SET jit = off)");
}
//# sourceMappingURL=pooling.js.map