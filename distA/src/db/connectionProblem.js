/**
 * Turns what postgres.js throws on a first contact (a refused or silent socket, an unknown host, a
 * database or role that does not exist, a refused password, a pooler refusing a startup parameter)
 * into one sentence that names the variable (`DATABASE_URL` or `DATABASE_DIRECT_URL`) and the host,
 * without ever echoing the password.
 */
import { StartupError } from '../startupError.js';
/** `host:port` of a `postgres://` URL, or the socket path a `?host=` names. */
export function databaseHost(databaseUrl) {
    const url = new URL(databaseUrl);
    const socket = url.searchParams.get('host');
    if (url.hostname === '' && socket)
        return socket;
    return `${url.hostname || 'localhost'}:${url.port || '5432'}`;
}
/** The sentence for `error`, thrown while first reaching `databaseUrl` (from `variable`) after `waitedMs`. */
export function databaseProblem(error, databaseUrl, waitedMs, variable = 'DATABASE_URL') {
    const url = new URL(databaseUrl);
    const host = databaseHost(databaseUrl);
    const database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres';
    const role = decodeURIComponent(url.username) || 'the current user';
    const { code, message } = error;
    const seconds = `${(waitedMs / 1000).toFixed(1)} s`;
    const sentence = (() => {
        switch (code) {
            case 'TIMEOUT':
            case 'CONNECT_TIMEOUT':
                return `no answer from ${host} within ${seconds}: is the host right, and does PostgreSQL listen there?`;
            case 'ECONNREFUSED':
                return `${host} refused the connection: nothing listens there`;
            case 'ENOTFOUND':
            case 'EAI_AGAIN':
                return `the host ${url.hostname} is not found (DNS)`;
            case 'EHOSTUNREACH':
            case 'ENETUNREACH':
                return `${host} is unreachable from here (${code})`;
            case 'ECONNRESET':
            case 'CONNECTION_CLOSED':
            case 'CONNECTION_ENDED':
                return `${host} closed the connection before answering: is it PostgreSQL?`;
            case '3D000':
                return `the database "${database}" does not exist on ${host} (create it, or fix the path of the URL)`;
            case '28000':
            case '28P01':
                return `${host} refused the role "${role}": ${String(message)}`;
            case '08P01':
                // PgBouncer refuses startup parameters it does not track, such as the search_path a
                // connection without pooling sends (src/db/pooling.ts).
                if (typeof message === 'string' && message.includes('unsupported startup parameter')) {
                    return `${host} refused the connection (${message}): a PgBouncer? Set DATABASE_POOLING=transaction and DATABASE_DIRECT_URL`;
                }
                return `cannot use the database at ${host}: ${String(message)}`;
            default:
                return `cannot use the database at ${host}: ${typeof message === 'string' ? message : String(error)}`;
        }
    })();
    return new StartupError(variable, `${variable}: ${sentence}`, { cause: error });
}
//# sourceMappingURL=connectionProblem.js.map