/**
 * Bearer-token authentication and scope checks, answering as RFC 6750 §3 says: no token → 401 with a
 * bare challenge; a bad one → 401 `invalid_token`; a missing scope → 403 `insufficient_scope`
 * naming the scope. When the issuer's keys cannot be fetched the token may be fine: 503, not 401.
 * The token and the scope are checked in one middleware: every authenticated request pays one layer
 * for both (Hono runs each middleware as an awaited function), without a promise of its own when the
 * token cache knows the token.
 */
import type { MiddlewareHandler } from 'hono';
import { type TokenVerifier } from '../auth/tokenVerifier.js';
import type { Principal, Scope } from '../auth/scopes.js';
/** Admits a request with a valid bearer token that grants `scope`, and puts its principal on the context. */
export declare const authenticate: (verifyToken: TokenVerifier, scope: Scope) => MiddlewareHandler;
/** The owner whose jobs a caller may see: its own, or every owner's (`undefined`) for an admin. */
export declare function ownerScope(principal: Principal): {
    owner: string | undefined;
};
