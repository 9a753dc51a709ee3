/**
 * The service's job types as the CLI uses them (GET /v1/job-types): `enqueue --list-types` prints
 * them, and `enqueue` checks its TYPE against them before posting, so a typo gets the known types
 * and a "did you mean" instead of a bare 422.
 */
import type { ApiClient } from './client.js';
export interface JobTypeInfo {
    name: string;
    payloadSchema: Record<string, unknown>;
    resultSchema?: Record<string, unknown>;
    defaults: {
        maxAttempts: number;
        maxInterruptions: number;
        timeoutSeconds: number | null;
        queue: string;
    };
}
/**
 * The job types, or undefined when this service or token cannot say (an older service without the
 * route, or a token without `jobs:read`): the enqueue then goes ahead and the service judges it.
 */
export declare function fetchJobTypes(client: ApiClient, { required }?: {
    required?: boolean | undefined;
}): Promise<JobTypeInfo[] | undefined>;
/** One line per type under a header: name first, so `awk 'NR>1 {print $1}'` gives the names. */
export declare function jobTypesTable(types: readonly JobTypeInfo[]): string;
/** A payload schema in one line, TypeScript-like: `{ to: integer, stepMs?: integer }`; `any` for `{}`. */
export declare function payloadShape(schema: Record<string, unknown>): string;
/** Known names close to `name`: those it begins, or those within two edits of it. */
export declare function similarNames(name: string, known: readonly string[]): string[];
