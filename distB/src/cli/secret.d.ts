import type { Scope } from '../auth/scopes.js';
import { type Config } from '../config.js';
export declare function loadCliConfig(env: Readonly<Record<string, string | undefined>>): Config;
export declare function signingSecret(config: Config): Promise<string>;
export declare function mintCliToken(config: Config, { sub, scopes, ttlSeconds }: {
    sub: string;
    scopes?: readonly Scope[];
    ttlSeconds: number;
}): Promise<string>;
