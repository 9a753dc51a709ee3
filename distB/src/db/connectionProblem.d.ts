/**
 * Turns what postgres.js throws on a first contact (a refused or silent socket, an unknown host, a
 * database or role that does not exist, a refused password, a pooler refusing a startup parameter)
 * into one sentence that names the variable (`DATABASE_URL` or `DATABASE_DIRECT_URL`) and the host,
 * without ever echoing the password.
 */
import { StartupError } from '../startupError.js';
/** `host:port` of a `postgres://` URL, or the socket path a `?host=` names. */
export declare function databaseHost(databaseUrl: string): string;
export type DatabaseUrlVariable = 'DATABASE_URL' | 'DATABASE_DIRECT_URL';
/** The sentence for `error`, thrown while first reaching `databaseUrl` (from `variable`) after `waitedMs`. */
export declare function databaseProblem(error: unknown, databaseUrl: string, waitedMs: number, variable?: DatabaseUrlVariable): StartupError;
