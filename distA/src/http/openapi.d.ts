import { type ErrorObject, type ValidateFunction } from '../validation/ajv.js';
export interface OpenApiDocument {
    paths: Record<string, Record<string, {
        operationId?: string;
        responses?: Record<string, unknown>;
    }>>;
    components: {
        schemas: Record<string, unknown>;
    };
    [key: string]: unknown;
}
export declare class OpenApiSpec {
    readonly text: string;
    readonly document: OpenApiDocument;
    private readonly ajv;
    private readonly compiled;
    /** `document`: the parsed `text`, when the build already parsed it (scripts/openapi-json.mjs). */
    constructor(text: string, document?: OpenApiDocument);
    /**
     * The spec in `file`, parsed once per process: parsing the YAML and compiling its validators costs
     * about half a CPU-second, which a program that starts several services (an embedding app, the
     * in-process tests) would otherwise pay at each start. The file is read again each time, so an
     * edited spec is not served stale.
     */
    static load(file?: string): OpenApiSpec;
    /** A validator for `#/components/schemas/<name>`. */
    schema(name: string): ValidateFunction;
    /** A validator for any JSON pointer into the document (the contract test validates responses with it). */
    validatorFor(pointer: string): ValidateFunction;
}
/**
 * What makes a schema of `document.components.schemas` not JSON Schema 2020-12, one line each
 * (`scripts/openapi-json.mjs` fails the build on any; the contract test asserts there are none).
 */
export declare function schemaProblems(document: OpenApiDocument): string[];
/** Ajv's errors as the problem+json `errors` member. */
export declare function describeErrors(errors: readonly ErrorObject[] | null | undefined): {
    pointer: string;
    message: string;
}[];
