/**
 * The operations of openapi.yaml as a test that walks every one of them reads them: its
 * operationId, method and path, whether it needs a token, the scopes its description names
 * ("Scope `jobs:read`"), its parameters (each resolved through its `$ref`, which is kept: the name
 * of a shared parameter says what the value names) and the statuses it lists.
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
}

type DeclaredParameter = { name: string; in: string } | { $ref: string }

interface OperationObject {
  operationId?: string
  description?: string
  security?: unknown[]
  parameters?: DeclaredParameter[]
  responses?: Record<string, unknown>
}

export function specOperations(spec: OpenApiSpec = OpenApiSpec.load()): SpecOperation[] {
  const document = spec.document as unknown as {
    paths: Record<
      string,
      Partial<Record<(typeof METHODS)[number], OperationObject>> & { parameters?: DeclaredParameter[] }
    >
    components: { parameters?: Record<string, { name: string; in: string }> }
  }
  const resolve = (declared: DeclaredParameter): SpecParameter => {
    if (!('$ref' in declared)) return { name: declared.name, in: declared.in }
    const target = document.components.parameters?.[declared.$ref.replace('#/components/parameters/', '')]
    if (!target) throw new Error(`openapi.yaml has no parameter at ${declared.$ref}`)
    return { name: target.name, in: target.in, ref: declared.$ref }
  }
  const operations: SpecOperation[] = []
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method]
      if (!operation) continue
      operations.push({
        operationId: operation.operationId ?? `${method.toUpperCase()} ${path} (no operationId)`,
        method: method.toUpperCase(),
        path,
        isPublic: Array.isArray(operation.security) && operation.security.length === 0,
        scopesNamed: [...(operation.description ?? '').matchAll(/Scope `([^`]*)`/g)].map((match) => match[1]!),
        parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve),
        responses: Object.keys(operation.responses ?? {}),
      })
    }
  }
  return operations
}
