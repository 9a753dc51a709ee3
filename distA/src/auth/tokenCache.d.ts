import type { TokenVerifier } from './tokenVerifier.js';
export interface TokenCacheOptions {
    maxEntries?: number;
    maxAgeMs?: number;
    now?: () => number;
}
export declare function cachedTokenVerifier(verify: TokenVerifier, { maxEntries, maxAgeMs, now }?: TokenCacheOptions): TokenVerifier;
