import { type Principal } from './scopes.js';
export interface TokenVerifierOptions {
    secret?: string | undefined;
    publicKey?: string | undefined;
    jwksUrl?: string | undefined;
    issuer?: string | undefined;
    audience: string;
    clockToleranceSeconds?: number;
    /** How long a JWKS fetch may take before the request is answered 503. */
    jwksTimeoutMs?: number;
}
/** The token is missing, malformed, forged, expired or meant for someone else: 401 invalid_token. */
export declare class InvalidTokenError extends Error {
    name: string;
}
/** The keys could not be fetched (JWKS down or slow): 503, the token may well be valid. */
export declare class KeysUnavailableError extends Error {
    name: string;
}
export type TokenVerifier = ((token: string) => Promise<Principal>) & {
    /**
     * The principal of a token verified before and still good, without a promise (a cache's:
     * tokenCache.ts); undefined means "verify it", never "refused".
     */
    readonly known?: (token: string) => Principal | undefined;
};
export declare function createTokenVerifier({ secret, publicKey, jwksUrl, issuer, audience, clockToleranceSeconds, jwksTimeoutMs, }: TokenVerifierOptions): TokenVerifier;
