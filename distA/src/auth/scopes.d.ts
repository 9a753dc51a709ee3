/** The scopes of DESIGN.md and how a token carries them. */
export declare const ALL_SCOPES: readonly ["jobs:write", "jobs:read", "admin"];
export type Scope = (typeof ALL_SCOPES)[number];
/** The authenticated caller: jobs belong to `sub`; `admin` sees every owner's. */
export interface Principal {
    readonly sub: string;
    readonly scopes: ReadonlySet<string>;
}
/** Scopes from `scope` (space-separated, RFC 8693) or `scp` (an array, as some issuers send). */
export declare function scopesOf(claims: Record<string, unknown>): Set<string>;
