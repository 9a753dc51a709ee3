/**
 * openapi.yaml is the contract and the single source of truth: request bodies are validated with
 * its own schemas (compiled once by Ajv), never with a second hand-written copy.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { projectRoot } from '../support/projectRoot.js';
import { createAjv } from '../validation/ajv.js';
const SPEC_ID = 'openapi.json';
const loaded = new Map();
export class OpenApiSpec {
    text;
    document;
    ajv;
    compiled = new Map();
    /** `document`: the parsed `text`, when the build already parsed it (scripts/openapi-json.mjs). */
    constructor(text, document) {
        this.text = text;
        this.document = document ?? parseYaml(text);
        // Not strict: the document carries OpenAPI keywords (description, example) beside JSON Schema.
        // Not checked against the meta-schema when added: Ajv would check the document's top level only,
        // whose keys are OpenAPI's, not a schema's, at a tenth of a CPU-second per start of a server or
        // test process. The schemas themselves are checked by `schemaProblems`, at the build.
        this.ajv = createAjv({ strict: false, validateSchema: false });
        this.ajv.addSchema({ ...this.document, $id: SPEC_ID });
    }
    /**
     * The spec in `file`, parsed once per process: parsing the YAML and compiling its validators costs
     * about half a CPU-second, which a program that starts several services (an embedding app, the
     * in-process tests) would otherwise pay at each start. The file is read again each time, so an
     * edited spec is not served stale.
     */
    static load(file = path.join(projectRoot(), 'openapi.yaml')) {
        const text = fs.readFileSync(file, 'utf8');
        const cached = loaded.get(file);
        if (cached?.text === text)
            return cached;
        const spec = new OpenApiSpec(text, builtDocument(text, path.join(path.dirname(file), 'dist/openapi.json')));
        loaded.set(file, spec);
        return spec;
    }
    /** A validator for `#/components/schemas/<name>`. */
    schema(name) {
        return this.validatorFor(`#/components/schemas/${name}`);
    }
    /** A validator for any JSON pointer into the document (the contract test validates responses with it). */
    validatorFor(pointer) {
        let validate = this.compiled.get(pointer);
        if (!validate) {
            validate = this.ajv.getSchema(`${SPEC_ID}${pointer}`);
            if (!validate)
                throw new Error(`openapi.yaml has no schema at ${pointer}`);
            this.compiled.set(pointer, validate);
        }
        return validate;
    }
}
/**
 * What makes a schema of `document.components.schemas` not JSON Schema 2020-12, one line each
 * (`scripts/openapi-json.mjs` fails the build on any; the contract test asserts there are none).
 */
export function schemaProblems(document) {
    const ajv = createAjv({ strict: false });
    return Object.entries(document.components.schemas).flatMap(([name, schema]) => ajv.validateSchema(schema)
        ? []
        : (ajv.errors ?? []).map((e) => `#/components/schemas/${name}${e.instancePath}: ${e.message ?? 'invalid'}`));
}
/**
 * The YAML parser, loaded only when the build's parse is missing or stale: a started service reads
 * dist/openapi.json, and loading the package cost each start about 20 ms (`yaml` is CommonJS under node).
 */
function parseYaml(text) {
    return createRequire(import.meta.url)('yaml').parse(text);
}
/** The build's parse of `text` (dist/openapi.json), unless it is missing or was made from another text. */
function builtDocument(text, built) {
    try {
        const { sourceHash, document } = JSON.parse(fs.readFileSync(built, 'utf8'));
        return sourceHash === createHash('sha256').update(text).digest('hex') ? document : undefined;
    }
    catch {
        return undefined;
    }
}
/** Ajv's errors as the problem+json `errors` member. */
export function describeErrors(errors) {
    return (errors ?? []).map((error) => {
        const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
        const extra = error.keyword === 'additionalProperties'
            ? `/${String(error.params.additionalProperty)}`
            : '';
        return { pointer: (error.instancePath || '') + missing + extra || '/', message: error.message ?? 'is invalid' };
    });
}
//# sourceMappingURL=openapi.js.map