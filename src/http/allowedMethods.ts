/**
 * The methods an app's routes accept at a path, for answering 405 with an `Allow` header. Asked only
 * when no route answered a request (from the app's not-found handler), so a request that is served
 * pays nothing for it: `hono/method-not-allowed` is a middleware, an awaited layer around every
 * request to find the few that miss.
 *
 * When several route patterns match a path, the most literal one wins, segment by segment from the
 * left: `/v1/jobs/batch` is the batch route's path, not a job id, though `/v1/jobs/:id` matches it too.
 */
import type { Hono } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'

interface PathRoutes {
  methods: string[]
  /** Per segment: 2 literal, 1 parameter, 0 wildcard; a larger rank is more specific. */
  rank: number[]
}

export function allowedMethods(app: Hono): (path: string) => string[] {
  // Built on first use, when every route has been registered.
  let router: TrieRouter<PathRoutes> | undefined
  return (path) => {
    router ??= routerOf(app)
    const matches = router.match('ALL', path)[0].map(([routes]) => routes)
    const best = matches.reduce<number[] | undefined>(
      (top, { rank }) => (top && compareRanks(top, rank) >= 0 ? top : rank),
      undefined,
    )
    const allowed = new Set<string>()
    for (const { methods, rank } of matches) {
      if (best && compareRanks(rank, best) === 0) for (const method of methods) allowed.add(method)
    }
    return [...allowed]
  }
}

function routerOf(app: Hono): TrieRouter<PathRoutes> {
  const methodsByPath = new Map<string, Set<string>>()
  for (const route of app.routes) {
    // Middleware is registered as ALL; HEAD comes with GET.
    if (route.method === 'ALL' || route.method === 'HEAD') continue
    const methods = methodsByPath.get(route.path) ?? new Set<string>()
    methods.add(route.method)
    if (route.method === 'GET') methods.add('HEAD')
    methodsByPath.set(route.path, methods)
  }
  const router = new TrieRouter<PathRoutes>()
  for (const [path, methods] of methodsByPath) router.add('ALL', path, { methods: [...methods], rank: rankOf(path) })
  return router
}

function rankOf(pattern: string): number[] {
  return pattern
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment.startsWith(':') ? 1 : segment.includes('*') ? 0 : 2))
}

/** Lexicographic: the first segment that differs decides; a longer pattern wins a tie. */
function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}
