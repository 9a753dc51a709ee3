/**
 * `mintToken` for a service that signs its own tokens for job-runner: HS256 with the shared
 * `JWT_SECRET`, or RS256 / ES256 / EdDSA with a private key whose public half the service knows
 * (`JWT_PUBLIC_KEY` or `JWT_JWKS_URL`). The algorithm follows the key, so a token is never signed
 * with an algorithm the service does not pin.
 *
 * @example
 * const token = await mintToken({ secret: process.env.JWT_SECRET, sub: 'billing', scopes: ['jobs:write', 'jobs:read'], ttl: 3600 })
 */
import { type KeyObject } from 'node:crypto';
export type TokenScope = 'jobs:read' | 'jobs:write' | 'admin';
export interface MintTokenOptions {
    /** The HS256 shared secret (`JWT_SECRET`, at least 32 bytes). */
    readonly secret?: string | Uint8Array;
    /** A private key (PEM PKCS#8 text or a KeyObject): RSA → RS256, EC P-256 → ES256, Ed25519 → EdDSA. */
    readonly privateKey?: string | KeyObject;
    /** The owner of the jobs this token enqueues. */
    readonly sub: string;
    readonly scopes: readonly TokenScope[];
    /** Lifetime in seconds (default 3600). */
    readonly ttl?: number;
    /** `JWT_AUDIENCE` of the service (default `job-runner`). */
    readonly audience?: string;
    /** `JWT_ISSUER` of the service, when it checks one. */
    readonly issuer?: string;
    /** The key id for a JWKS that holds several keys. */
    readonly keyId?: string;
}
export declare function mintToken(options: MintTokenOptions): Promise<string>;
