import { TrieRouter } from 'hono/router/trie-router';
export function allowedMethods(app) {
    // Built on first use, when every route has been registered.
    let router;
    return (path) => {
        router ??= routerOf(app);
        const matches = router.match('ALL', path)[0].map(([routes]) => routes);
        const best = matches.reduce((top, { rank }) => (top && compareRanks(top, rank) >= 0 ? top : rank), undefined);
        const allowed = new Set();
        for (const { methods, rank } of matches) {
            if (best && compareRanks(rank, best) === 0)
                for (const method of methods)
                    allowed.add(method);
        }
        return [...allowed];
    };
}
function routerOf(app) {
    const methodsByPath = new Map();
    for (const route of app.routes) {
        // Middleware is registered as ALL; HEAD comes with GET.
        if (route.method === 'ALL' || route.method === 'HEAD')
            continue;
        const methods = methodsByPath.get(route.path) ?? new Set();
        methods.add(route.method);
        if (route.method === 'GET')
            methods.add('HEAD');
        methodsByPath.set(route.path, methods);
    }
    const router = new TrieRouter();
    for (const [path, methods] of methodsByPath)
        router.add('ALL', path, { methods: [...methods], rank: rankOf(path) });
    return router;
}
function rankOf(pattern) {
    return pattern
        .split('/')
        .filter((segment) => segment !== '')
        .map((segment) => (segment.startsWith(':') ? 1 : segment.includes('*') ? 0 : 2));
}
/** Lexicographic: the first segment that differs decides; a longer pattern wins a tie. */
function compareRanks(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++)
        if (a[i] !== b[i])
            return a[i] - b[i];
    return a.length - b.length;
}
//# sourceMappingURL=allowedMethods.js.map