/**
 * Loads every job file in this folder (each `export default defineJob(...)`) and compiles its
 * payload schema once, so enqueue can refuse an unknown type or a bad payload before anything is
 * stored.
 */
import fs from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import path from 'node:path'
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv'
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats'
import type { JobDefinition } from './defineJob.js'

/**
 * A definition of any job type. Each file types its own payload, checkpoint and result; the
 * registry holds them side by side, and the payload's type is guaranteed at run time by its schema.
 */
export type AnyJobDefinition = JobDefinition<any, any, any>

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin

export interface PayloadProblem {
  /** JSON Pointer into the payload. */
  readonly pointer: string
  readonly message: string
}

export class JobRegistry {
  private readonly validators = new Map<string, ValidateFunction>()
  private readonly definitions = new Map<string, AnyJobDefinition>()

  constructor(definitions: readonly AnyJobDefinition[]) {
    const ajv = new Ajv({ allErrors: true, strict: true })
    addFormats(ajv)
    for (const definition of definitions) {
      if (this.definitions.has(definition.name)) throw new Error(`two job files define ${definition.name}`)
      this.definitions.set(definition.name, definition)
      this.validators.set(definition.name, ajv.compile(definition.payloadSchema))
    }
  }

  get(name: string): AnyJobDefinition | undefined {
    return this.definitions.get(name)
  }

  names(): string[] {
    return [...this.definitions.keys()].sort()
  }

  /** Problems with `payload` for job `name`, empty when it is valid. Throws for an unknown name. */
  validatePayload(name: string, payload: unknown): PayloadProblem[] {
    const validate = this.validators.get(name)
    if (!validate) throw new Error(`unknown job type ${name}`)
    if (validate(payload)) return []
    return (validate.errors ?? []).map((error: ErrorObject) => {
      const params = error.params as { missingProperty?: string; additionalProperty?: string }
      const child = params.missingProperty ?? params.additionalProperty
      return { pointer: `${error.instancePath}${child === undefined ? '' : `/${child}`}` || '/', message: error.message ?? 'is invalid' }
    })
  }
}

const NOT_JOB_FILES = new Set(['registry', 'defineJob', 'errors'])

/** Imports every job file of `folder` (this folder by default, in source or compiled form). */
export async function loadJobRegistry(folder = path.dirname(fileURLToPath(import.meta.url))): Promise<JobRegistry> {
  const files = (await fs.readdir(folder))
    .filter((file) => /\.(ts|js|mjs)$/.test(file) && !file.endsWith('.d.ts'))
    .filter((file) => !NOT_JOB_FILES.has(file.replace(/\.(ts|js|mjs)$/, '')))
    .sort()
  const definitions: AnyJobDefinition[] = []
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(folder, file)).href)) as { default?: JobDefinition }
    if (!module.default || typeof module.default.run !== 'function') {
      throw new Error(`jobs/${file} must export default defineJob({...})`)
    }
    definitions.push(module.default)
  }
  return new JobRegistry(definitions)
}
