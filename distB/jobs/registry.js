/**
 * Loads every job file in this folder (each `export default defineJob(...)`) and compiles its
 * payload schema once, so enqueue can refuse an unknown type or a bad payload before anything is
 * stored.
 *
 * A job file that cannot be used stops start-up with a `JobFileError` naming the file (and the
 * job): a syntax error, two files defining one name, an invalid payload schema, or a `.js`/`.mjs`
 * file the compiled server cannot see because the build that copies it has not run since.
 */
import fs from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { createAjv } from '../src/validation/ajv.js';
import { checkpointValidator } from '../src/validation/checkpointSchema.js';
import { projectRoot } from '../src/support/projectRoot.js';
import { cached } from '../src/support/cached.js';
import { StartupError } from '../src/startupError.js';
import { readDeclaredSchedules } from '../src/schedules/declared.js';
/** A job file the service cannot use; `files` are the paths to fix, as an operator would type them. */
export class JobFileError extends StartupError {
    files;
    name = 'JobFileError';
    constructor(files, message) {
        super(undefined, message);
        this.files = files;
    }
}
/**
 * Validators by schema object, for the life of the process. A job file is imported once per process,
 * so every registry built over the same files (a service started again by an embedding app, each
 * in-process test's service) finds its schemas compiled: compiling them anew took 20–30 ms a start,
 * more than a tenth of the test suite's Ajv time. A schema object not seen before is compiled by the
 * registry's own Ajv, as it always was, so two definitions that reuse an `$id` still clash only
 * within one registry.
 */
const compiledSchemas = new WeakMap();
export class JobRegistry {
    validators = new Map();
    definitions = new Map();
    /** The schedules the job types declare (`defineJob({ schedules })`), upserted at start-up. */
    schedules;
    constructor(definitions, { files = [] } = {}) {
        let ajv;
        const compile = (schema) => cached(compiledSchemas, schema, () => (ajv ??= createAjv()).compile(schema));
        const fileOf = new Map();
        definitions.forEach((definition, index) => {
            const file = files[index];
            if (this.definitions.has(definition.name)) {
                const first = fileOf.get(definition.name);
                const both = [first, file].filter((f) => f !== undefined);
                const where = both.length === 2 ? `: ${both[0]} and ${both[1]}` : '';
                throw new JobFileError(both, `two job files define ${definition.name}${where}; job names must be unique`);
            }
            fileOf.set(definition.name, file);
            this.definitions.set(definition.name, definition);
            let field = 'payloadSchema';
            try {
                this.validators.set(definition.name, compile(definition.payloadSchema));
                field = 'resultSchema';
                // Compiled only to refuse a broken one now: results are not checked against it.
                if (definition.resultSchema !== undefined)
                    compile(definition.resultSchema);
            }
            catch (error) {
                const where = file === undefined ? '' : ` (${file})`;
                throw new JobFileError(file === undefined ? [] : [file], `job ${definition.name}${where} has an invalid ${field} (JSON Schema 2020-12): ` + error.message);
            }
            try {
                checkpointValidator(definition);
            }
            catch (error) {
                const where = file === undefined ? '' : ` (${file})`;
                throw new JobFileError(file === undefined ? [] : [file], `job ${definition.name}${where} has an invalid checkpointSchema (JSON Schema 2020-12): ` +
                    error.message);
            }
        });
        const declared = readDeclaredSchedules(definitions, this);
        if ('problem' in declared) {
            const file = files[declared.problem.definition];
            const where = file === undefined ? '' : `${file}: `;
            throw new JobFileError(file === undefined ? [] : [file], `${where}${declared.problem.message}`);
        }
        this.schedules = declared.schedules;
    }
    get(name) {
        return this.definitions.get(name);
    }
    names() {
        return [...this.definitions.keys()].sort();
    }
    /**
     * The job types with concurrency limits or a rate limit, which only the limited claim takes
     * (src/queue/limitedClaim.ts).
     */
    concurrencyLimits() {
        const limited = [];
        for (const [type, definition] of this.definitions) {
            const { perKey, total } = definition.concurrency ?? {};
            const rateLimit = definition.rateLimit;
            if (perKey === undefined && total === undefined && rateLimit === undefined)
                continue;
            const intervalMs = rateLimit ? rateLimit.periodMs / rateLimit.limit : null;
            limited.push({
                type,
                perKey: perKey ?? null,
                total: total ?? null,
                intervalMs,
                toleranceMs: rateLimit && intervalMs !== null ? ((rateLimit.burst ?? 1) - 1) * intervalMs : null,
                rateByKey: rateLimit?.key === true,
            });
        }
        return limited.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    }
    /** Problems with `payload` for job `name`, empty when it is valid. Throws for an unknown name. */
    validatePayload(name, payload) {
        const validate = this.validators.get(name);
        if (!validate)
            throw new Error(`unknown job type ${name}`);
        if (validate(payload))
            return [];
        return (validate.errors ?? []).map((error) => {
            const params = error.params;
            const child = params.missingProperty ?? params.additionalProperty;
            return {
                pointer: `${error.instancePath}${child === undefined ? '' : `/${child}`}` || '/',
                message: error.message ?? 'is invalid',
            };
        });
    }
}
const NOT_JOB_FILES = new Set(['registry', 'defineJob', 'errors']);
const JOB_FILE = /\.(ts|mts|js|mjs)$/;
/** The job files of a folder, sorted: `.ts`, `.mts`, `.js`, `.mjs`, without declarations and helpers. */
async function jobFiles(folder) {
    return (await fs.readdir(folder))
        .filter((file) => JOB_FILE.test(file) && !/\.d\.m?ts$/.test(file))
        .filter((file) => !NOT_JOB_FILES.has(file.replace(JOB_FILE, '')))
        .sort();
}
/** What the build makes of a source job file: tsc turns `.ts` into `.js`, the copy step keeps `.js`/`.mjs`. */
function compiledName(file) {
    return file.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs');
}
/** A path as the operator would type it: relative to the project when inside it. */
function displayPath(file) {
    const relative = path.relative(projectRoot(), file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
const THIS_FOLDER = path.dirname(fileURLToPath(import.meta.url));
/** Imports every job file of `folder` (this folder by default, in source or compiled form). */
export async function loadJobRegistry(folder = THIS_FOLDER, options = {}) {
    const files = await jobFiles(folder);
    const sourceFolder = options.sourceFolder ?? (folder === THIS_FOLDER ? path.join(projectRoot(), 'jobs') : undefined);
    if (sourceFolder !== undefined && path.resolve(sourceFolder) !== path.resolve(folder)) {
        // A deployment may ship dist/ alone: with no source folder there is nothing to compare.
        const sources = await jobFiles(sourceFolder).catch((error) => {
            if (error.code === 'ENOENT')
                return [];
            throw error;
        });
        const missing = sources.filter((file) => !files.includes(compiledName(file)));
        if (missing.length > 0) {
            const named = missing.map((file) => displayPath(path.join(sourceFolder, file)));
            throw new JobFileError(named, `${named.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${displayPath(folder)}: ` +
                'the compiled server runs what the build produced; run `npm run build` (`npm start` does)');
        }
    }
    const definitions = [];
    const shown = [];
    for (const file of files) {
        const shownPath = displayPath(path.join(folder, file));
        let module;
        try {
            module = (await import(pathToFileURL(path.join(folder, file)).href));
        }
        catch (error) {
            // A syntax error's message does not say which file; tsx's says it over several lines.
            const message = String(error.message)
                .split('\n')
                .map((line) => line.trim())
                .filter(Boolean)
                .join(' ');
            const reason = `${error.name}: ${message.slice(0, 300)}`;
            throw new JobFileError([shownPath], `${shownPath} cannot be loaded: ${reason}`);
        }
        if (!module.default || typeof module.default.run !== 'function') {
            throw new JobFileError([shownPath], `${shownPath} must export default defineJob({...})`);
        }
        definitions.push(module.default);
        shown.push(shownPath);
    }
    return new JobRegistry(definitions, { files: shown });
}
//# sourceMappingURL=registry.js.map