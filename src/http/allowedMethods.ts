/**
 * The methods an app's routes accept at a path, for answering 405 with an `Allow` header. Asked only
 * when no route answered a request (from the app's not-found handler), so a request that is served
 * pays nothing for it: `hono/method-not-allowed` is a middleware, an awaited layer around every
 * request to find the few that miss.
 */
import type { Hono } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'

export function allowedMethods(app: Hono): (path: string) => string[] {
  // Built on first use, when every route has been registered.
  let router: TrieRouter<string[]> | undefined
  return (path) => {
    router ??= routerOf(app)
    const allowed = new Set<string>()
    for (const [methods] of router.match('ALL', path)[0]) for (const method of methods) allowed.add(method)
    return [...allowed]
  }
}

function routerOf(app: Hono): TrieRouter<string[]> {
  const methodsByPath = new Map<string, Set<string>>()
  for (const route of app.routes) {
    // Middleware is registered as ALL; HEAD comes with GET.
    if (route.method === 'ALL' || route.method === 'HEAD') continue
    const methods = methodsByPath.get(route.path) ?? new Set<string>()
    methods.add(route.method)
    if (route.method === 'GET') methods.add('HEAD')
    methodsByPath.set(route.path, methods)
  }
  const router = new TrieRouter<string[]>()
  for (const [path, methods] of methodsByPath) router.add('ALL', path, [...methods])
  return router
}
