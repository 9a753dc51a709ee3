/**
 * Loads every job file in this folder (each `export default defineJob(...)`) and compiles its
 * payload schema once, so enqueue can refuse an unknown type or a bad payload before anything is
 * stored.
 *
 * A job file that cannot be used stops start-up with a `JobFileError` naming the file (and the
 * job): a syntax error, two files defining one name, an invalid payload schema, or a `.js`/`.mjs`
 * file the compiled server cannot see because the build that copies it has not run since.
 */
import fs from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import path from 'node:path'
import type { JobDefinition } from './defineJob.js'
import { createAjv, type Ajv2020, type ErrorObject, type ValidateFunction } from '../src/validation/ajv.js'
import { checkpointValidator } from '../src/validation/checkpointSchema.js'
import { projectRoot } from '../src/support/projectRoot.js'
import { cached } from '../src/support/cached.js'
import { StartupError } from '../src/startupError.js'
import { readDeclaredSchedules } from '../src/schedules/declared.js'
import type { CodeSchedule } from '../src/schedules/store.js'
import type { LimitedType } from '../src/queue/limitedClaim.js'

/**
 * A definition of any job type. Each file types its own payload, checkpoint and result; the
 * registry holds them side by side, and the payload's type is guaranteed at run time by its schema.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each file types its own; the schema checks at run time
export type AnyJobDefinition = JobDefinition<any, any, any>

export interface PayloadProblem {
  /** JSON Pointer into the payload. */
  readonly pointer: string
  readonly message: string
}

/** A job file the service cannot use; `files` are the paths to fix, as an operator would type them. */
export class JobFileError extends StartupError {
  override name = 'JobFileError'
  constructor(
    readonly files: readonly string[],
    message: string,
  ) {
    super(undefined, message)
  }
}

export interface JobRegistryOptions {
  /** Where each definition came from, by index, so errors can name the file. */
  files?: readonly string[]
}

/**
 * Validators by schema object, for the life of the process. A job file is imported once per process,
 * so every registry built over the same files (a service started again by an embedding app, each
 * in-process test's service) finds its schemas compiled: compiling them anew took 20–30 ms a start,
 * more than a tenth of the test suite's Ajv time. A schema object not seen before is compiled by the
 * registry's own Ajv, as it always was, so two definitions that reuse an `$id` still clash only
 * within one registry.
 */
const compiledSchemas = new WeakMap<object, ValidateFunction>()

export class JobRegistry {
  private readonly validators = new Map<string, ValidateFunction>()
  private readonly definitions = new Map<string, AnyJobDefinition>()
  /** The schedules the job types declare (`defineJob({ schedules })`), upserted at start-up. */
  readonly schedules: readonly CodeSchedule[]

  constructor(definitions: readonly AnyJobDefinition[], { files = [] }: JobRegistryOptions = {}) {
    let ajv: Ajv2020 | undefined
    const compile = (schema: object): ValidateFunction =>
      cached(compiledSchemas, schema, () => (ajv ??= createAjv()).compile(schema))
    const fileOf = new Map<string, string | undefined>()
    definitions.forEach((definition, index) => {
      const file = files[index]
      if (this.definitions.has(definition.name)) {
        const first = fileOf.get(definition.name)
        const both = [first, file].filter((f): f is string => f !== undefined)
        const where = both.length === 2 ? `: ${both[0]} and ${both[1]}` : ''
        throw new JobFileError(both, `two job files define ${definition.name}${where}; job names must be unique`)
      }
      fileOf.set(definition.name, file)
      this.definitions.set(definition.name, definition)
      let field = 'payloadSchema'
      try {
        this.validators.set(definition.name, compile(definition.payloadSchema))
        field = 'resultSchema'
        // Compiled only to refuse a broken one now: results are not checked against it.
        if (definition.resultSchema !== undefined) compile(definition.resultSchema)
      } catch (error) {
        const where = file === undefined ? '' : ` (${file})`
        throw new JobFileError(
          file === undefined ? [] : [file],
          `job ${definition.name}${where} has an invalid ${field} (JSON Schema 2020-12): ` + (error as Error).message,
        )
      }
      try {
        checkpointValidator(definition)
      } catch (error) {
        const where = file === undefined ? '' : ` (${file})`
        throw new JobFileError(
          file === undefined ? [] : [file],
          `job ${definition.name}${where} has an invalid checkpointSchema (JSON Schema 2020-12): ` +
            (error as Error).message,
        )
      }
    })
    const declared = readDeclaredSchedules(definitions, this)
    if ('problem' in declared) {
      const file = files[declared.problem.definition]
      const where = file === undefined ? '' : `${file}: `
      throw new JobFileError(file === undefined ? [] : [file], `${where}${declared.problem.message}`)
    }
    this.schedules = declared.schedules
  }

  get(name: string): AnyJobDefinition | undefined {
    return this.definitions.get(name)
  }

  names(): string[] {
    return [...this.definitions.keys()].sort()
  }

  /**
   * The job types with concurrency limits or a rate limit, which only the limited claim takes
   * (src/queue/limitedClaim.ts).
   */
  concurrencyLimits(): LimitedType[] {
    const limited: LimitedType[] = []
    for (const [type, definition] of this.definitions) {
      const { perKey, total } = definition.concurrency ?? {}
      const rateLimit = definition.rateLimit
      if (perKey === undefined && total === undefined && rateLimit === undefined) continue
      const intervalMs = rateLimit ? rateLimit.periodMs / rateLimit.limit : null
      limited.push({
        type,
        perKey: perKey ?? null,
        total: total ?? null,
        intervalMs,
        toleranceMs: rateLimit && intervalMs !== null ? ((rateLimit.burst ?? 1) - 1) * intervalMs : null,
        rateByKey: rateLimit?.key === true,
      })
    }
    return limited.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
  }

  /** Problems with `payload` for job `name`, empty when it is valid. Throws for an unknown name. */
  validatePayload(name: string, payload: unknown): PayloadProblem[] {
    const validate = this.validators.get(name)
    if (!validate) throw new Error(`unknown job type ${name}`)
    if (validate(payload)) return []
    return (validate.errors ?? []).map((error: ErrorObject) => {
      const params = error.params as { missingProperty?: string; additionalProperty?: string }
      const child = params.missingProperty ?? params.additionalProperty
      return {
        pointer: `${error.instancePath}${child === undefined ? '' : `/${child}`}` || '/',
        message: error.message ?? 'is invalid',
      }
    })
  }
}

const NOT_JOB_FILES = new Set(['registry', 'defineJob', 'errors'])
const JOB_FILE = /\.(ts|mts|js|mjs)$/

/** The job files of a folder, sorted: `.ts`, `.mts`, `.js`, `.mjs`, without declarations and helpers. */
async function jobFiles(folder: string): Promise<string[]> {
  return (await fs.readdir(folder))
    .filter((file) => JOB_FILE.test(file) && !/\.d\.m?ts$/.test(file))
    .filter((file) => !NOT_JOB_FILES.has(file.replace(JOB_FILE, '')))
    .sort()
}

/** What the build makes of a source job file: tsc turns `.ts` into `.js`, the copy step keeps `.js`/`.mjs`. */
function compiledName(file: string): string {
  return file.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs')
}

/** A path as the operator would type it: relative to the project when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(projectRoot(), file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

export interface LoadJobRegistryOptions {
  /**
   * The source folder `folder` was built from. Its job files must all be in `folder`: a `.mjs`
   * added after the last build would otherwise be silently missing. Defaults to the project's
   * `jobs/` when `folder` is the compiled default (`dist/jobs`).
   */
  sourceFolder?: string
}

const THIS_FOLDER = path.dirname(fileURLToPath(import.meta.url))

/** Imports every job file of `folder` (this folder by default, in source or compiled form). */
export async function loadJobRegistry(
  folder = THIS_FOLDER,
  options: LoadJobRegistryOptions = {},
): Promise<JobRegistry> {
  const files = await jobFiles(folder)
  const sourceFolder = options.sourceFolder ?? (folder === THIS_FOLDER ? path.join(projectRoot(), 'jobs') : undefined)
  if (sourceFolder !== undefined && path.resolve(sourceFolder) !== path.resolve(folder)) {
    // A deployment may ship dist/ alone: with no source folder there is nothing to compare.
    const sources = await jobFiles(sourceFolder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []
      throw error
    })
    const missing = sources.filter((file) => !files.includes(compiledName(file)))
    if (missing.length > 0) {
      const named = missing.map((file) => displayPath(path.join(sourceFolder, file)))
      throw new JobFileError(
        named,
        `${named.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${displayPath(folder)}: ` +
          'the compiled server runs what the build produced; run `npm run build` (`npm start` does)',
      )
    }
  }
  const definitions: AnyJobDefinition[] = []
  const shown: string[] = []
  for (const file of files) {
    const shownPath = displayPath(path.join(folder, file))
    let module: { default?: JobDefinition }
    try {
      module = (await import(pathToFileURL(path.join(folder, file)).href)) as { default?: JobDefinition }
    } catch (error) {
      // A syntax error's message does not say which file; tsx's says it over several lines.
      const message = String((error as Error).message)
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .join(' ')
      const reason = `${(error as Error).name}: ${message.slice(0, 300)}`
      throw new JobFileError([shownPath], `${shownPath} cannot be loaded: ${reason}`)
    }
    if (!module.default || typeof module.default.run !== 'function') {
      throw new JobFileError([shownPath], `${shownPath} must export default defineJob({...})`)
    }
    definitions.push(module.default)
    shown.push(shownPath)
  }
  return new JobRegistry(definitions, { files: shown })
}
