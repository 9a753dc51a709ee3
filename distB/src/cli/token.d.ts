/** `job-runner token`: mints an HS256 token for the configured secret (or the development one). */
import { type Scope } from '../auth/scopes.js';
import { type Command } from './command.js';
/** `90`, `90s`, `15m`, `12h`, `7d` → seconds. */
export declare function parseTtl(raw: string): number;
export declare function parseScopes(raw: readonly string[]): Scope[];
export declare const tokenCommand: Command;
