/**
 * The operations of openapi.yaml as a test that walks every one of them reads them: its
 * operationId, method and path, whether it needs a token, the scopes its description names
 * ("Scope `jobs:read`"), its parameters (each resolved through its `$ref`, which is kept: the name
 * of a shared parameter says what the value names) with their schemas, its JSON request body, the
 * statuses it lists and the schema of its 200 answer. A schema that is a `$ref` to
 * `#/components/schemas` is followed, so its bounds (`maximum`, `maxLength`) read directly.
 *
 *   for (const operation of specOperations()) if (!operation.isPublic) …operation.scopesNamed…
 */
import { OpenApiSpec } from '../../src/http/openapi.js'

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const

export interface SpecParameter {
  name: string
  in: string
  /** The `$ref` it was declared with (`#/components/parameters/JobId`), if any. */
  ref?: string
  /** Its schema (`{}` when it declares none). */
  schema: SpecSchema
}

/** A schema as far as a test reads its type and bounds; other keywords are there unread. */
export interface SpecSchema {
  type?: string | string[]
  minimum?: number
  maximum?: number
  maxLength?: number
  enum?: unknown[]
  properties?: Record<string, unknown>
  [keyword: string]: unknown
}

export interface SpecRequestBody {
  required: boolean
  /** The `application/json` body's schema. */
  schema: SpecSchema
}

export interface SpecOperation {
  /** The operationId, or a stand-in naming the method and path when it has none. */
  operationId: string
  /** Upper case, as a request sends it. */
  method: string
  /** As the spec writes it, `{name}` for each path parameter. */
  path: string
  /** `security: []`: answered without a token. */
  isPublic: boolean
  /** Each scope its description names, in order ("Scope `jobs:read`" names `jobs:read`). */
  scopesNamed: string[]
  /** The path item's parameters and the operation's own. */
  parameters: SpecParameter[]
  /** The statuses it lists ('200', '404', …). */
  responses: string[]
  /** Its JSON request body, if it takes one. */
  requestBody?: SpecRequestBody
  /** The schema of its `application/json` 200 answer, if it has one. */
  okSchema?: SpecSchema
}

type DeclaredParameter = { name: string; in: string; schema?: SpecSchema } | { $ref: string }

interface JsonContent {
  content?: { 'application/json'?: { schema?: SpecSchema } }
}

interface OperationObject {
  operationId?: string
  description?: string
  security?: unknown[]
  parameters?: DeclaredParameter[]
  requestBody?: JsonContent & { required?: boolean }
  responses?: Record<string, JsonContent>
}

export function specOperations(spec: OpenApiSpec = OpenApiSpec.load()): SpecOperation[] {
  const document = spec.document as unknown as {
    paths: Record<
      string,
      Partial<Record<(typeof METHODS)[number], OperationObject>> & { parameters?: DeclaredParameter[] }
    >
    components: {
      parameters?: Record<string, { name: string; in: string; schema?: SpecSchema }>
      schemas: Record<string, SpecSchema>
    }
  }
  const schemaOf = (schema: SpecSchema | undefined): SpecSchema => {
    const ref = schema?.$ref
    if (typeof ref !== 'string') return schema ?? {}
    const target = document.components.schemas[ref.replace('#/components/schemas/', '')]
    if (!target) throw new Error(`openapi.yaml has no schema at ${ref}`)
    return schemaOf(target)
  }
  const resolve = (declared: DeclaredParameter): SpecParameter => {
    if (!('$ref' in declared)) return { name: declared.name, in: declared.in, schema: schemaOf(declared.schema) }
    const target = document.components.parameters?.[declared.$ref.replace('#/components/parameters/', '')]
    if (!target) throw new Error(`openapi.yaml has no parameter at ${declared.$ref}`)
    return { name: target.name, in: target.in, ref: declared.$ref, schema: schemaOf(target.schema) }
  }
  const jsonSchemaOf = (declared: JsonContent | undefined): SpecSchema | undefined => {
    const json = declared?.content?.['application/json']
    return json && schemaOf(json.schema)
  }
  const operations: SpecOperation[] = []
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method]
      if (!operation) continue
      const okSchema = jsonSchemaOf(operation.responses?.['200'])
      operations.push({
        operationId: operation.operationId ?? `${method.toUpperCase()} ${path} (no operationId)`,
        method: method.toUpperCase(),
        path,
        isPublic: Array.isArray(operation.security) && operation.security.length === 0,
        scopesNamed: [...(operation.description ?? '').matchAll(/Scope `([^`]*)`/g)].map((match) => match[1]!),
        parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve),
        responses: Object.keys(operation.responses ?? {}),
        ...(operation.requestBody && {
          requestBody: {
            required: operation.requestBody.required === true,
            schema: jsonSchemaOf(operation.requestBody) ?? {},
          },
        }),
        ...(okSchema && { okSchema }),
      })
    }
  }
  return operations
}

/**
 * A table keyed by operationId against the operations it must cover: the ones it has no case for,
 * and its cases for operations the spec no longer has. A test asserts both empty.
 */
export function keysMissingAndStale(
  table: Readonly<Record<string, unknown>>,
  expected: readonly string[],
): { missing: string[]; stale: string[] } {
  return {
    missing: expected.filter((id) => !(id in table)).sort(),
    stale: Object.keys(table)
      .filter((id) => !expected.includes(id))
      .sort(),
  }
}
