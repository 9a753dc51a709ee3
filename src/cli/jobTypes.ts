/**
 * The service's job types as the CLI uses them (GET /v1/job-types): `enqueue --list-types` prints
 * them, and `enqueue` checks its TYPE against them before posting, so a typo gets the known types
 * and a "did you mean" instead of a bare 422.
 */
import type { ApiClient } from './client.js'

export interface JobTypeInfo {
  name: string
  payloadSchema: Record<string, unknown>
  resultSchema?: Record<string, unknown>
  defaults: { maxAttempts: number; maxInterruptions: number; timeoutSeconds: number | null; queue: string }
}

/**
 * The job types, or undefined when this service or token cannot say (an older service without the
 * route, or a token without `jobs:read`): the enqueue then goes ahead and the service judges it.
 */
export async function fetchJobTypes(client: ApiClient, { required = false } = {}): Promise<JobTypeInfo[] | undefined> {
  const accept = required ? [] : [403, 404, 405]
  const response = await client.request<{ jobTypes: JobTypeInfo[] }>('GET', '/v1/job-types', { accept })
  return response.status === 200 ? response.body.jobTypes : undefined
}

/** One line per type under a header: name first, so `awk 'NR>1 {print $1}'` gives the names. */
export function jobTypesTable(types: readonly JobTypeInfo[]): string {
  const rows = [
    ['TYPE', 'QUEUE', 'ATTEMPTS', 'TIMEOUT', 'PAYLOAD'],
    ...types.map(({ name, defaults, payloadSchema }) => [
      name,
      defaults.queue,
      String(defaults.maxAttempts),
      defaults.timeoutSeconds === null ? '-' : `${defaults.timeoutSeconds}s`,
      payloadShape(payloadSchema),
    ]),
  ]
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  // The last column is not padded: no trailing blanks.
  const line = (row: string[]) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')
  return rows.map(line).join('\n') + '\n'
}

/** A payload schema in one line, TypeScript-like: `{ to: integer, stepMs?: integer }`; `any` for `{}`. */
export function payloadShape(schema: Record<string, unknown>): string {
  const properties = schema.properties as Record<string, { type?: unknown }> | undefined
  if (!properties) {
    return typeof schema.type === 'string' ? schema.type : Object.keys(schema).length === 0 ? 'any' : 'see --json'
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
  const fields = Object.entries(properties).map(([name, property]) => {
    const { type: declared } = property
    const type = Array.isArray(declared) ? declared.join(' | ') : typeof declared === 'string' ? declared : 'any'
    return `${name}${required.has(name) ? '' : '?'}: ${type}`
  })
  return `{ ${fields.join(', ')} }`
}

/** Known names close to `name`: those it begins, or those within two edits of it. */
export function similarNames(name: string, known: readonly string[]): string[] {
  const prefixed = known.filter((candidate) => candidate.startsWith(name))
  if (prefixed.length > 0) return prefixed
  return known.filter((candidate) => editDistance(name, candidate) <= 2)
}

/** Levenshtein distance; the names are short (at most 64 characters). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}
