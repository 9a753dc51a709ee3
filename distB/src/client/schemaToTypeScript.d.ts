/**
 * A job type's payload (or result) JSON Schema as a TypeScript type, for `job-runner types`. It
 * covers what such schemas use — objects with required and optional properties, arrays and
 * tuples, enums and consts, the scalar types, `anyOf`/`oneOf` (a union), `allOf` (an
 * intersection), local `$ref`s to `$defs` — and answers `unknown` for anything else, so a type is
 * never narrower than the schema.
 */
type Schema = boolean | Record<string, unknown>;
export declare function schemaToTypeScript(schema: Schema, indent?: string, root?: Schema, depth?: number): string;
/**
 * The file `job-runner types` writes: the job types by module augmentation of `job-runner/client`,
 * each with its payload and, when the type declares a `resultSchema`, its result.
 */
export declare function jobTypesDeclaration(jobTypes: readonly {
    name: string;
    payloadSchema: Record<string, unknown>;
    resultSchema?: Record<string, unknown> | undefined;
}[], source: string): string;
export {};
