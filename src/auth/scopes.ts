/** The scopes of DESIGN.md and how a token carries them. */
export const ALL_SCOPES = ['jobs:write', 'jobs:read', 'admin'] as const
export type Scope = (typeof ALL_SCOPES)[number]

/**
 * The owner of what the service makes itself: the schedules declared in code and their jobs. Only
 * an admin token may carry it as its `sub` (an admin sees every owner's anyway): a token issued to a
 * service that happens to be named `system` would otherwise read, cancel and trigger them.
 */
export const SYSTEM_OWNER = 'system'

/** The authenticated caller: jobs belong to `sub`; `admin` sees every owner's. */
export interface Principal {
  readonly sub: string
  readonly scopes: ReadonlySet<string>
}

/** Scopes from `scope` (space-separated, RFC 8693) or `scp` (an array, as some issuers send). */
export function scopesOf(claims: Record<string, unknown>): Set<string> {
  const scopes = new Set<string>()
  if (typeof claims.scope === 'string') for (const s of claims.scope.split(' ')) if (s) scopes.add(s)
  if (Array.isArray(claims.scp)) for (const s of claims.scp) if (typeof s === 'string' && s) scopes.add(s)
  if (typeof claims.scp === 'string') for (const s of claims.scp.split(' ')) if (s) scopes.add(s)
  return scopes
}
