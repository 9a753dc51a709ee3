import type { Scope } from '../../src/auth/scopes.js';
import { type Service } from '../../src/service.js';
import type { JobRegistry } from '../../jobs/registry.js';
import { type CapturedLogs } from './logs.js';
import type { TestDatabase } from './databases.js';
export declare const TEST_SECRET = "test-secret-that-is-at-least-32-bytes-long!";
export declare const TEST_AUDIENCE = "job-runner";
export interface TestService extends Service {
    readonly logs: CapturedLogs;
    /** Resolves with the exit code the service asked for when its shutdown completed. */
    readonly exited: Promise<number>;
    token(options?: {
        sub?: string;
        scopes?: Scope[];
        ttlSeconds?: number;
    }): Promise<string>;
    /** fetch against the service with a bearer token for `sub` (default every scope). */
    request(path: string, init?: RequestInit & {
        sub?: string;
        scopes?: Scope[];
        token?: string | null;
    }): Promise<Response>;
    /** Shuts down (if not already) and waits for the exit. */
    close(): Promise<void>;
}
export declare function startTestService(database: TestDatabase, env?: Record<string, string>, { registry }?: {
    registry?: JobRegistry;
}): Promise<TestService>;
