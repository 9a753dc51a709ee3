/**
 * The one Ajv setup of the service: JSON Schema 2020-12 (the dialect of openapi.yaml 3.1 and of the
 * payload schemas `defineJob` documents) with ajv-formats' `date-time`, `email`, `uri` and friends.
 * Every validator is built here, so the dialect and the formats cannot drift apart between the
 * request bodies and the job payloads.
 */
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
export type { Ajv2020 };
export type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
/**
 * A 2020-12 validator factory with every error collected (`allErrors`), so a 422 names each
 * problem at once. `strict` stays on unless a caller's schemas carry keywords of another vocabulary
 * (openapi.yaml's `example`, say).
 */
export declare function createAjv({ strict, ...options }?: Options): Ajv2020;
