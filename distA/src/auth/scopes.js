/** The scopes of DESIGN.md and how a token carries them. */
export const ALL_SCOPES = ['jobs:write', 'jobs:read', 'admin'];
/** Scopes from `scope` (space-separated, RFC 8693) or `scp` (an array, as some issuers send). */
export function scopesOf(claims) {
    const scopes = new Set();
    if (typeof claims.scope === 'string')
        for (const s of claims.scope.split(' '))
            if (s)
                scopes.add(s);
    if (Array.isArray(claims.scp))
        for (const s of claims.scp)
            if (typeof s === 'string' && s)
                scopes.add(s);
    if (typeof claims.scp === 'string')
        for (const s of claims.scp.split(' '))
            if (s)
                scopes.add(s);
    return scopes;
}
//# sourceMappingURL=scopes.js.map