import { pino, type Logger } from 'pino';
export type { Logger };
/**
 * `pretty` (by default: when no destination is given and stdout is a terminal) renders colored,
 * human lines with pino-pretty in-process; anything else (a pipe, a file, a log shipper) gets JSON.
 */
export declare function createLogger({ level, destination, pretty, }?: {
    level?: string;
    destination?: pino.DestinationStream;
    pretty?: boolean;
}): Logger;
/** Turns anything thrown into an Error, so nothing downstream has to handle `unknown`. */
export declare function coerceError(thrown: unknown): Error;
