/**
 * Reads a JSON request body: 415 unless it is JSON, 400 when it does not parse, 422 when it is too
 * deeply nested or does not match its schema in openapi.yaml. The size limit (413) is enforced
 * before this, while the body streams in.
 */
import type { Context } from 'hono';
import type { ValidateFunction } from '../validation/ajv.js';
/** Deeper documents serve no job and would cost recursion further down (JSON serialization). */
export declare const MAX_JSON_DEPTH = 64;
export declare function readJsonBody<T>(c: Context, validate: ValidateFunction): Promise<T>;
/**
 * Whether a parsed JSON value nests deeper than `limit`, without allocating: the recursion stops one
 * level past `limit`, so it is never deeper than that however deep the document.
 */
export declare function nestedDeeperThan(value: unknown, limit: number, depth?: number): boolean;
/** The JSON Pointer of the first string or key PostgreSQL cannot store as jsonb (`''` is the root), if any. */
export declare function unstorableText(value: unknown): string | undefined;
