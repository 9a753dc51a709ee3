import { type Scope } from './scopes.js';
export declare function ensureDevSecret(dataDir: string): Promise<string>;
export interface MintOptions {
    secret: string;
    sub: string;
    scopes?: readonly Scope[];
    ttlSeconds?: number;
    audience: string;
    issuer?: string;
}
/** Signs an HS256 token: what `npm start` prints and what the CLI's `token` command mints. */
export declare function mintToken({ secret, sub, scopes, ttlSeconds, audience, issuer, }: MintOptions): Promise<string>;
